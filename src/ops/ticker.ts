/**
 * `ticker(ms, options?)`: a channel that delivers a value every `ms` milliseconds, as Go's
 * time.Ticker: it holds at most one tick, and a tick that finds the last one still unread is
 * dropped, so a slow reader sees gaps rather than a backlog. The value is the nominal time of
 * the tick since the ticker started (ms, 2·ms, …: a gap shows the ticks missed). Usable as
 * `input(ticker(ms))` in an alt; time is the injected scheduler's (virtual under the test
 * scheduler).
 *   --ms--2ms--3ms--…
 * It ends when `options.signal` aborts (at once) or when its readers have all retired (noticed
 * at the next tick); either way the channel retires.
 */
import type { Reader } from '../core/ends.js';
import { currentRuntime } from '../core/runtime.js';
import type { TimerOptions } from './after.js';
import { expectMs, expectOptions } from './check.js';
import { channelFor, launchOne } from './operator.js';
import { sleep } from './sleep.js';

export function ticker(ms: number, options?: TimerOptions): Reader<number> {
  const where = 'ticker(ms, options)';
  expectMs(where, 'ms', ms, Number.MIN_VALUE);
  expectOptions(where, options);
  const scheduler = currentRuntime().scheduler;
  const c = channelFor<number>(`ticker(${ms})`, { buffer: 1, ...(options?.name === undefined ? {} : { name: options.name }) });
  const writer = c.writer();
  const reader = c.reader();
  launchOne('ticker', [], [writer], async () => {
    for (let n = 1; await sleep(scheduler, ms, options?.signal); n++) {
      const sent = writer.tryWrite(n * ms);
      if (!sent.ok && sent.reason === 'retired') return;
    }
  });
  return reader;
}
