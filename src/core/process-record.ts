/**
 * What the runtime knows of a running process: enough to attribute ends and blocked operations
 * to it, and to find deadlocks. The shapes here are what deadlock detection reads; channels and
 * ends implement them.
 *
 * Which operations a process waits on is not tracked on the hot path: it is found, when deadlock
 * detection runs, on the ends the process alone holds (`waiting()`), at O(1) per end that has
 * nothing queued.
 */

/** An end as deadlock detection sees it: alive or not, and who holds it. */
export interface HeldEnd {
  readonly alive: boolean;
  /** Processes holding this end; empty means code outside every process (the main program). */
  readonly holders: readonly ProcessRecord[];
  /** The operations waiting on this end now (absent on ends whose channel lives elsewhere). */
  waits?(): Iterable<Blocking>;
  /** Its channel, when the channel lives here (absent on ends whose channel lives elsewhere). */
  readonly core?: WatchedChannel;
}

/** A channel as deadlock detection sees it. */
export interface WatchedChannel {
  readonly name: string;
  /** Every end made on this channel that is still alive. */
  liveEnds(): Iterable<HeldEnd>;
  /** Set while deadlock detection has this channel noted as changed (core/deadlock.ts). */
  noted: boolean;
  /** The end of each operation waiting on this channel now (absent where nothing waits here). */
  waitingEnds?(): Iterable<HeldEnd>;
}

/** A blocking operation as deadlock detection sees it. */
export interface Blocking {
  readonly operation: 'read' | 'write' | 'alt';
  /** True when a timer or an abort signal may end the wait without any channel. */
  readonly escapable: boolean;
  /** The channels that could complete it. */
  channelsBlocking(): readonly WatchedChannel[];
  /** Ends the wait with `error` (deadlock detection); a no-op if it has already ended. */
  abortWith(error: Error): void;
}

export class ProcessRecord {
  /** Ends this process holds: given to it, or made while its body started (a set: O(1) release). */
  readonly ends = new Set<HeldEnd>();
  /** The holder list of every end this process alone holds: shared, so holding an end allocates nothing (holding.ts). */
  readonly alone: ProcessRecord[] = Object.freeze([this]) as unknown as ProcessRecord[];
  /** Set once the process has ended and lets go of all its ends at once (finish in process.ts). */
  releasing = false;

  /**
   * @param keeper true for a record that only keeps ends alive for processes still to run (a
   *   `seq`): it never operates on them, so operations are attributed to the other holder.
   */
  constructor(
    readonly name: string,
    readonly keeper = false,
  ) {}

  /** The operations this process waits on now: those on the ends it alone holds (computed, off the hot path). */
  waiting(): Blocking[] {
    const ops = new Set<Blocking>();
    for (const end of this.ends) {
      if (end.waits === undefined || soleHolder(end.holders) !== this) continue;
      for (const op of end.waits()) ops.add(op);
    }
    return [...ops];
  }

  /** The one operation this process waits on, or null when it waits on none or on several. */
  get blockedOn(): Blocking | null {
    const ops = this.waiting();
    return ops.length === 1 ? (ops[0] as Blocking) : null;
  }
}

/** The one holder of an end that can be operating on it (keepers aside), or null if none or several. */
export function soleHolder(holders: readonly ProcessRecord[]): ProcessRecord | null {
  let sole: ProcessRecord | null = null;
  for (const h of holders) {
    if (h.keeper) continue;
    if (sole !== null) return null;
    sole = h;
  }
  return sole;
}
