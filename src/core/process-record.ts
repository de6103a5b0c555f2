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

const NO_ENDS: readonly HeldEnd[] = [];

export class ProcessRecord {
  /**
   * The ends given to this process as it started (its instance's list, without repeats), kept as
   * given: a process given 100,000 ends puts none of them in a set (a set that large costs
   * several times more per end than one of a thousand). Each counts while its holders list this
   * process.
   */
  private given: readonly HeldEnd[] = NO_ENDS;
  /** The ends it holds otherwise (made while it started, kept for a seq, a stand-in's), made on first use: O(1) release. */
  more: Set<HeldEnd> | null = null;
  /** While its given ends are handed to it, the one being given (holding.ts keeps it out of `more`). */
  giving: object | null = null;
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

  /** Every end this process holds, each once: the given ones it still holds, then the others. */
  get ends(): Iterable<HeldEnd> {
    return this.held();
  }

  private *held(): Generator<HeldEnd> {
    const more = this.more;
    for (const end of this.given) if (end.holders.includes(this) && (more === null || !more.has(end))) yield end;
    if (more !== null) yield* more;
  }

  /** Takes `ends` (an instance's list; repeats are dropped here) as given: each must be held already (start in process.ts). */
  takeGiven(ends: readonly HeldEnd[], repeats: boolean): void {
    this.given = repeats ? [...new Set(ends)] : ends;
  }

  /** The ends given to it, as given (finish in process.ts releases them without going through `ends`). */
  get givenEnds(): readonly HeldEnd[] {
    return this.given;
  }

  /** Forgets every end (once they have been let go, or lost with their link). */
  forgetEnds(): void {
    this.given = NO_ENDS;
    this.more?.clear();
  }

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
