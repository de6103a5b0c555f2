/**
 * What a runtime keeps for diagnostics beyond deadlock detection: the channels on which the main
 * program (code outside every process) has waited. Deadlock detection finds a process's
 * operations through the ends it holds; the main program holds no record, so its waits are
 * remembered here, for the exit report.
 *
 * Invariants:
 * - every channel on which a main-program operation waits now is in `waitedOn` (entries whose
 *   waits have ended are dropped lazily, so the set stays within twice the live ones plus 64);
 * - nothing here is read on the hot path; `noteMainWait` is called only when the main program
 *   waits, which costs one set insertion.
 */
import type { WatchedChannel } from './process-record.js';
import type { Waiter, WaitQueue } from './waiter.js';

/** A channel as the watch sees it: its name, ends and the queues of waiting operations. */
export interface QueuedChannel extends WatchedChannel {
  readonly takers: WaitQueue;
  readonly putters: WaitQueue;
}

export class RuntimeWatch {
  private readonly waitedOn = new Set<QueuedChannel>();
  private sweepAt = 64;

  /** The main program started waiting on `channel`. */
  noteMainWait(channel: QueuedChannel): void {
    this.waitedOn.add(channel);
    if (this.waitedOn.size > this.sweepAt) {
      for (const c of this.waitedOn) if (!hasMainWait(c)) this.waitedOn.delete(c);
      this.sweepAt = Math.max(64, 2 * this.waitedOn.size);
    }
  }

  /** The main program's operations waiting now, each once (an alt's waiters share their choice). */
  mainWaits(): Waiter[] {
    const waits: Waiter[] = [];
    for (const c of this.waitedOn) {
      for (const queue of [c.takers, c.putters]) for (let w = queue.head; w !== null; w = w.next) if (w.end.holders.length === 0) waits.push(w);
    }
    return waits;
  }
}

function hasMainWait(c: QueuedChannel): boolean {
  for (const queue of [c.takers, c.putters]) for (let w = queue.head; w !== null; w = w.next) if (w.end.holders.length === 0) return true;
  return false;
}
