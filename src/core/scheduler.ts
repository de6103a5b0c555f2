/**
 * The seam through which all non-determinism enters the core: who resumes next, which ready alt
 * guard wins, when a timeout fires, and when the program is idle (for deadlock detection).
 *
 * The real scheduler resumes at once, picks with Math.random and uses the host's timers. The
 * testing kit supplies one that records and replays every decision.
 */
export interface Scheduler {
  /**
   * True when `wake` runs its task synchronously; lets the hot path settle a promise directly
   * instead of allocating a task. A scheduler that reorders wake-ups MUST set this to false.
   */
  readonly direct: boolean;
  /** Resume a process whose operation has already committed. `label` names the operation for traces. */
  wake(task: () => void, label: string): void;
  /** A fair choice in [0, n), n >= 1: which of several ready guards an `alt` considers first. */
  pick(n: number): number;
  /** Run `fire` after `ms` milliseconds unless the returned cancel is called first. */
  setTimer(ms: number, fire: () => void): () => void;
  /** Run `task` once nothing else is runnable (no pending microtask, no scheduled wake-up). */
  whenIdle(task: () => void): void;
}

/** The default: resume now, Math.random, host timers, setImmediate for idleness. */
export const realScheduler: Scheduler = {
  direct: true,
  wake(task) {
    task();
  },
  pick(n) {
    return Math.floor(Math.random() * n);
  },
  setTimer(ms, fire) {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
  whenIdle(task) {
    setImmediate(task);
  },
};
