/**
 * A scheduler that gives the event loop a turn: processes resume at once, as with the real
 * scheduler, except that once `sliceMs` has passed since the last turn the next wake-up waits for
 * one (setImmediate). A network whose processes only ever wait on each other runs on microtasks
 * alone and would otherwise starve timers and I/O — a progress display, the live view's server,
 * an alt's timeout — until it ends. `cspflow run` installs it (`useScheduler`) unless --no-yield.
 *
 * It is not direct, so each wake-up costs a little more than under the real scheduler (measured in
 * docs/benchmarks.md); the clock is read once every 256 wake-ups.
 */
import { realScheduler, type Scheduler } from '../core/scheduler.js';

export function yieldingScheduler(sliceMs = 10): Scheduler {
  if (!(typeof sliceMs === 'number' && sliceMs > 0 && Number.isFinite(sliceMs))) throw new RangeError(`yieldingScheduler(sliceMs): sliceMs must be a number > 0, got ${String(sliceMs)}`);
  let sliceEnd = performance.now() + sliceMs;
  let wakes = 0;
  return {
    direct: false,
    wake(task) {
      if ((++wakes & 255) === 0 && performance.now() > sliceEnd) {
        setImmediate(() => {
          sliceEnd = performance.now() + sliceMs;
          task();
        });
        return;
      }
      task();
    },
    pick: realScheduler.pick,
    setTimer: realScheduler.setTimer,
    whenIdle: realScheduler.whenIdle,
  };
}
