/**
 * `after(ms, options?)`: a channel that delivers one value `ms` milliseconds from now, then
 * retires — Go's time.After, usable as `input(after(ms))` in an alt. The value is `ms` (the
 * nominal time since the timer started). Time is the injected scheduler's: under
 * cspflow/testing's TestScheduler it is virtual, so tests with timers are instant and
 * deterministic. Aborting `options.signal` first retires it without a value.
 *   ------(ms)|
 *
 * The timer is a process (`after`) holding the writing end, so a process waiting on it is
 * never taken for deadlocked.
 */
import type { Reader } from '../core/ends.js';
import { currentRuntime } from '../core/runtime.js';
import { expectMs, expectOptions } from './check.js';
import { channelFor, launchOne } from './operator.js';
import { sleep } from './sleep.js';

export interface TimerOptions {
  /** Stops the timer: the channel retires (after its readers drain what it holds). */
  readonly signal?: AbortSignal;
  /** The channel's name. Default `after(<ms>)` / `ticker(<ms>)`. */
  readonly name?: string;
}

export function after(ms: number, options?: TimerOptions): Reader<number> {
  const where = 'after(ms, options)';
  expectMs(where, 'ms', ms);
  expectOptions(where, options);
  const scheduler = currentRuntime().scheduler;
  const c = channelFor<number>(`after(${ms})`, { buffer: 1, ...(options?.name === undefined ? {} : { name: options.name }) });
  const writer = c.writer();
  const reader = c.reader();
  launchOne('after', [], [writer], async () => {
    if (await sleep(scheduler, ms, options?.signal)) writer.tryWrite(ms);
  });
  return reader;
}
