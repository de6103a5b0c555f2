/**
 * The seam through which all non-determinism enters the core: who resumes next, which ready alt
 * guard wins, when a timeout fires, when the program is idle (for deadlock detection), and when a
 * busy network lets the event loop breathe.
 *
 * The real scheduler resumes at once, picks with Math.random and uses the host's timers, but
 * never for long: a network whose processes only wait on each other runs on microtasks alone,
 * and would starve timers, I/O, signals and abort until it ends. So every `every` resumptions it
 * reads a monotonic clock, and once `sliceMs` have passed since the slice began it holds further
 * resumptions back, lets the macrotask queue run (one `defer`, setImmediate by default), then
 * resumes them in the order they came (rule S4). The testing kit supplies a scheduler that
 * records and replays every decision instead.
 *
 * Invariants of the breathing scheduler:
 * - while `held` is non-null, `proceed()` is false and `wake` queues: nothing resumes before the
 *   deferred release, which resumes every held task in arrival order;
 * - a slice begins at the first clock reading after the event loop has turned (`inSlice` false),
 *   so a network woken after a quiet spell gets a whole slice, not a yield at once;
 * - a `whenIdle` task never runs while resumptions are held: a held resumption is work still to
 *   run, and the operations it will complete look stuck until it has run (deadlock detection
 *   would take the processes waiting on them for deadlocked). Such a task waits in `idleHeld`
 *   for the release, then for one more turn of the event loop.
 */
export interface Scheduler {
  /**
   * Asked on the hot path before a resumption or an immediate completion: true lets the core
   * settle the promise at once (no task allocated); false sends it through `wake`. A scheduler
   * that reorders wake-ups returns false always; the real one returns false while it breathes.
   */
  proceed(): boolean;
  /** Resume a process whose operation has already committed. `label` names the operation for traces. */
  wake(task: () => void, label: string): void;
  /** A fair choice in [0, n), n >= 1: which of several ready guards an `alt` considers first. */
  pick(n: number): number;
  /** Run `fire` after `ms` milliseconds unless the returned cancel is called first. */
  setTimer(ms: number, fire: () => void): () => void;
  /** Run `task` once nothing else is runnable (no pending microtask, no scheduled wake-up). */
  whenIdle(task: () => void): void;
}

/** How the real scheduler breathes; every field is injectable (tests pass a fake clock and defer). */
export interface BreathingOptions {
  /** Milliseconds a busy network may run before the macrotask queue gets a turn (default 10). */
  readonly sliceMs?: number;
  /** Resumptions between two clock readings (default 256): the clock is off the hot path. */
  readonly every?: number;
  /** A monotonic clock in milliseconds (default performance.now). */
  readonly clock?: () => number;
  /** Runs `task` after the macrotasks already queued (default setImmediate). */
  readonly defer?: (task: () => void) => void;
}

/** A real scheduler that lets the event loop breathe as `options` say. */
export function breathingScheduler(options: BreathingOptions = {}): Scheduler {
  const { sliceMs = 10, every = 256 } = options;
  if (!(typeof sliceMs === 'number' && sliceMs > 0 && Number.isFinite(sliceMs))) throw new RangeError(`breathingScheduler(options): sliceMs must be a finite number > 0, got ${String(sliceMs)}`);
  if (!(Number.isSafeInteger(every) && every >= 1)) throw new RangeError(`breathingScheduler(options): every must be an integer >= 1, got ${String(every)}`);
  return new Breathing(sliceMs, every, options.clock ?? (() => performance.now()), options.defer ?? ((task) => setImmediate(task)));
}

class Breathing implements Scheduler {
  private countdown: number;
  private sliceEnd = 0;
  private inSlice = false;
  private held: (() => void)[] | null = null;
  private idleHeld: (() => void)[] = [];

  constructor(
    private readonly sliceMs: number,
    private readonly every: number,
    private readonly clock: () => number,
    private readonly defer: (task: () => void) => void,
  ) {
    this.countdown = every;
  }

  proceed(): boolean {
    return --this.countdown > 0 || this.check();
  }

  /** Every `every` resumptions (and on each one while breathing): may the run go on? */
  private check(): boolean {
    if (this.held !== null) return false;
    this.countdown = this.every;
    const now = this.clock();
    if (!this.inSlice) {
      this.inSlice = true;
      this.sliceEnd = now + this.sliceMs;
      this.defer(this.endTurn);
      return true;
    }
    if (now < this.sliceEnd) return true;
    this.held = [];
    this.countdown = 0;
    this.defer(this.release);
    return false;
  }

  private readonly endTurn = (): void => {
    this.inSlice = false;
  };

  private readonly release = (): void => {
    const held = this.held as (() => void)[];
    this.held = null;
    this.countdown = this.every;
    for (const task of held) task();
    for (const task of this.idleHeld.splice(0)) this.whenIdle(task);
  };

  wake(task: () => void): void {
    if (this.held === null) task();
    else this.held.push(task);
  }

  pick(n: number): number {
    return Math.floor(Math.random() * n);
  }

  setTimer(ms: number, fire: () => void): () => void {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  }

  whenIdle(task: () => void): void {
    setImmediate(() => {
      if (this.held === null) task();
      else this.idleHeld.push(task);
    });
  }
}

/** The default: resume now, Math.random, host timers, setImmediate for idleness, breathing every 10 ms. */
export const realScheduler: Scheduler = breathingScheduler();
