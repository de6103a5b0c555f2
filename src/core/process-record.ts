/**
 * What the runtime knows of a running process: enough to attribute ends and blocked operations
 * to it, and to find deadlocks. The shapes here are what deadlock detection reads; channels and
 * ends implement them.
 *
 * Invariants:
 * - `pending` counts this process's operations that are waiting (in a channel queue or on a timer);
 * - `blockedOn` is the latest such operation while pending > 0, and null when pending === 0.
 */

/** An end as deadlock detection sees it: alive or not, and who holds it. */
export interface HeldEnd {
  readonly alive: boolean;
  /** Processes holding this end; empty means code outside every process (the main program). */
  readonly holders: readonly ProcessRecord[];
}

/** A channel as deadlock detection sees it. */
export interface WatchedChannel {
  readonly name: string;
  /** Every end made on this channel that is still alive. */
  liveEnds(): Iterable<HeldEnd>;
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
  pending = 0;
  blockedOn: Blocking | null = null;
  /** Ends this process holds: given to it, or made while its body started. */
  readonly ends: HeldEnd[] = [];

  /**
   * @param keeper true for a record that only keeps ends alive for processes still to run (a
   *   `seq`): it never operates on them, so operations are attributed to the other holder.
   */
  constructor(
    readonly name: string,
    readonly keeper = false,
  ) {}

  block(on: Blocking): void {
    this.pending++;
    this.blockedOn = on;
  }

  unblock(): void {
    this.pending--;
    if (this.pending === 0) this.blockedOn = null;
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
