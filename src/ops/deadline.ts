/**
 * The one deadline of a fused pipeline (a batch's `maxWaitMs`): a timer from the injected
 * scheduler that aborts the pending read, so a partial batch leaves on time under real time and
 * at its virtual time under cspflow/testing's TestScheduler.
 *
 * Invariants:
 * - at most one timer is armed; `signal` is the abort signal of the armed deadline, if any;
 * - `due` is true only between the timer firing and the next `disarm()`.
 */
import type { Scheduler } from '../core/scheduler.js';

export class Deadline {
  private controller: AbortController | null = null;
  private cancel: (() => void) | null = null;
  due = false;

  constructor(private readonly scheduler: Scheduler) {}

  get signal(): AbortSignal | undefined {
    return this.controller?.signal;
  }

  arm(ms: number): void {
    if (this.controller !== null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.cancel = this.scheduler.setTimer(ms, () => {
      this.due = true;
      controller.abort(new DeadlineReached());
    });
  }

  disarm(): void {
    this.cancel?.();
    this.cancel = null;
    this.controller = null;
    this.due = false;
  }
}

/** The abort reason of a deadline: never escapes the fused loop. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
}
