/** Waiting on the injected scheduler's clock (virtual under cspflow/testing), cut short by a signal. */
import type { Scheduler } from '../core/scheduler.js';

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is then cancelled). */
export function sleep(scheduler: Scheduler, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const onAbort = (): void => {
      cancel();
      resolve(false);
    };
    const cancel = scheduler.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
