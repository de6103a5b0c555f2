/**
 * The runtime a channel, alt or process belongs to: its scheduler, the processes alive, the
 * process whose body is starting (to attribute ends made there), and deadlock detection.
 *
 * One ambient runtime is current at a time. It starts as the real one; the testing kit swaps in
 * a runtime driven by a deterministic scheduler for the length of one property run
 * (`useScheduler`), and swaps the previous one back. Nothing else in the core is mutable at
 * module level.
 *
 * Invariants:
 * - `current` is non-null only while a process body runs its synchronous start;
 * - a ProcessRecord is in `live` from its start until it has released its ends;
 * - at most one idle check is queued at a time (`checkQueued`);
 * - deadlock detection runs only while no outside action is expected (`outside` is 0); what it
 *   was told changed meanwhile is kept for the next scan.
 */
import { DeadlockDetector } from './deadlock.js';
import type { RuntimeObserver } from './observer.js';
import type { ProcessRecord, WatchedChannel } from './process-record.js';
import { realScheduler, type Scheduler } from './scheduler.js';
import { RuntimeWatch } from './watch.js';

export class Runtime {
  current: ProcessRecord | null = null;
  readonly live = new Set<ProcessRecord>();
  /** Where the main program waits, for diagnostics (the exit report). */
  readonly watch = new RuntimeWatch();
  /** Told what happens (src/observe sets it); null when nothing observes. */
  observer: RuntimeObserver | null = null;
  /** Deadlock detection, fed the channels that changed. */
  readonly deadlocks = new DeadlockDetector();
  private checkQueued = false;
  private channelCount = 0;
  /** Actions outside this runtime that may still complete a waiting operation (expectOutside). */
  private outside = 0;

  constructor(readonly scheduler: Scheduler) {}

  /** A default name for an unnamed channel, unique within this runtime. */
  nextChannelName(): string {
    return `chan${this.nextChannelNumber()}`;
  }

  /** The number n of the next default name `chan<n>` (a channel makes its name when asked). */
  nextChannelNumber(): number {
    return ++this.channelCount;
  }

  /**
   * Something changed that may have closed a deadlock: an operation blocked on `channel`, or one of
   * its ends left or changed holders (no channel: a scan of what was noted before is due).
   */
  noteChange(channel?: WatchedChannel): void {
    if (channel !== undefined && !channel.noted) this.deadlocks.note(channel);
    if (this.checkQueued) return;
    this.checkQueued = true;
    this.scheduler.whenIdle(this.idle);
  }

  private readonly idle = (): void => {
    this.checkQueued = false;
    if (this.outside === 0) this.deadlocks.scan();
  };

  /**
   * Something outside this runtime (a transport taking back credit it lent, say) may still
   * complete an operation waiting here: until the returned function is called, an idle runtime
   * is not taken for a deadlocked one. Calling the function again does nothing.
   */
  expectOutside(): () => void {
    this.outside++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.outside--;
      this.noteChange();
    };
  }
}

let ambient = new Runtime(realScheduler);

export function currentRuntime(): Runtime {
  return ambient;
}

/**
 * Makes a fresh runtime driven by `scheduler` current, for channels, alts and processes created
 * from now on; returns a function that restores the previous runtime.
 */
export function useScheduler(scheduler: Scheduler): () => void {
  const previous = ambient;
  ambient = new Runtime(scheduler);
  return () => {
    ambient = previous;
  };
}
