/**
 * A small scheduler for the property tests: wake-ups queue up and run in an order taken from a
 * list of choices (fast-check generates and shrinks it); past the list, first come first served,
 * so every run ends. Idle checks (deadlock detection) run when nothing else can; timers fire
 * only then too, in the order they were set.
 */
import type { Scheduler } from '../../src/index.js';

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

export class ShuffleScheduler implements Scheduler {
  proceed(): boolean {
    return false;
  }

  private readonly ready: { task: () => void; label: string }[] = [];
  private readonly idle: (() => void)[] = [];
  private readonly timers: { fire: () => void; live: boolean }[] = [];
  private next = 0;
  /** The labels of the wake-ups run, in order (for failure messages). */
  readonly trace: string[] = [];

  constructor(private readonly choices: readonly number[]) {}

  private choose(n: number): number {
    const c = this.choices[this.next++];
    return c === undefined ? 0 : c % n;
  }

  wake(task: () => void, label: string): void {
    this.ready.push({ task, label });
  }

  pick(n: number): number {
    return this.choose(n);
  }

  setTimer(_ms: number, fire: () => void): () => void {
    const timer = { fire, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  whenIdle(task: () => void): void {
    this.idle.push(task);
  }

  /**
   * Runs until nothing is left to run or `done()` holds; returns false if it gave up after
   * `maxSteps` wake-ups.
   */
  async run(done: () => boolean, maxSteps = 20_000): Promise<boolean> {
    for (let step = 0; step < maxSteps; step++) {
      await microtasks(8);
      if (this.ready.length === 0) await macrotask();
      if (done()) return true;
      if (this.ready.length > 0) {
        const [next] = this.ready.splice(this.choose(this.ready.length), 1);
        this.trace.push(next!.label);
        next!.task();
      } else if (this.idle.length > 0) {
        for (const task of this.idle.splice(0)) task();
      } else {
        const timer = this.timers.find((t) => t.live);
        if (timer === undefined) return done();
        timer.live = false;
        timer.fire();
      }
    }
    return false;
  }
}
