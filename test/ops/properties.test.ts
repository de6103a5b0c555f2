/**
 * One fast-check property per operator against its array equivalent, each run under generated
 * schedules (cspflow/testing's schedulerArb: wake-up order and alt choices vary) and with
 * generated buffer sizes. Each property prints its seed (CSPFLOW_SEED=<seed> repeats it); a
 * failure prints the schedule as a replay string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alt,
  batch,
  broadcast,
  chan,
  collect,
  filter,
  fromIterable,
  map,
  merge,
  partition,
  pipe,
  pipeline,
  scan,
  skip,
  split,
  take,
  tee,
  ticker,
  unbatch,
  window,
  zip,
} from '../../src/index.js';
import { runScheduled, schedulerArb, seededParams } from '../../src/testing/index.js';

const xsArb = fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 24 });
const bufferArb = fc.constantFrom(undefined, 1, 3);
const RUNS = 40;

/** Runs `network` under the generated schedule and checks it returns `expected`. */
async function same<T>(network: () => Promise<T>, expected: T, schedule: Parameters<typeof runScheduled>[1]): Promise<void> {
  const { value } = await runScheduled(network, schedule);
  expect(value).toEqual(expected);
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const windows = <T>(xs: readonly T[], size: number, step: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i + size <= xs.length; i += step) out.push(xs.slice(i, i + size));
  return out;
};

describe('each operator equals its array equivalent under generated schedules', () => {
  it('map: collect(map(fromIterable(xs), f)) is xs.map(f)', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, bufferArb, schedulerArb(), (xs, buffer, s) =>
        same(() => collect(map(fromIterable(xs, { buffer }), (x) => x * 3 + 1, { buffer })), xs.map((x) => x * 3 + 1), s),
      ),
      seededParams('ops map', { numRuns: RUNS }),
    );
  });

  it('filter is xs.filter(p)', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, bufferArb, schedulerArb(), (xs, buffer, s) =>
        same(() => collect(filter(fromIterable(xs, { buffer }), (x) => x % 3 === 0)), xs.filter((x) => x % 3 === 0), s),
      ),
      seededParams('ops filter', { numRuns: RUNS }),
    );
  });

  it('scan is the running reduction', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, bufferArb, schedulerArb(), (xs, buffer, s) => {
        const expected = xs.map((_, i) => xs.slice(0, i + 1).reduce((a, x) => a + x, 10));
        return same(() => collect(scan(fromIterable(xs, { buffer }), (a: number, x: number) => a + x, 10)), expected, s);
      }),
      seededParams('ops scan', { numRuns: RUNS }),
    );
  });

  it('take(n) is xs.slice(0, n), and the source is told nobody reads', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.nat({ max: 30 }), bufferArb, schedulerArb(), (xs, n, buffer, s) => {
        let pulled = 0;
        const counted = function* () {
          for (const x of xs) {
            pulled++;
            yield x;
          }
        };
        return same(
          async () => {
            const got = await collect(take(fromIterable(counted(), { buffer }), n));
            return { got, overread: pulled - Math.min(n, xs.length) <= (buffer ?? 0) + 1 };
          },
          { got: xs.slice(0, n), overread: true },
          s,
        );
      }),
      seededParams('ops take', { numRuns: RUNS }),
    );
  });

  it('batch(n) is xs in chunks of n; unbatch undoes it', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: 1, max: 5 }), bufferArb, schedulerArb(), (xs, n, buffer, s) =>
        same(
          async () => {
            const [a, b] = tee(batch(fromIterable(xs, { buffer }), n), 2);
            const [batches, flat] = await Promise.all([collect(a as never), collect(unbatch(b as never))]);
            return { batches, flat };
          },
          { batches: chunks(xs, n), flat: xs },
          s,
        ),
      ),
      seededParams('ops batch/unbatch', { numRuns: RUNS }),
    );
  });

  it('window(size, step) is the sliding windows of xs', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), schedulerArb(), (xs, size, step, s) =>
        same(() => collect(window(fromIterable(xs), size, step)), windows(xs, size, step), s),
      ),
      seededParams('ops window', { numRuns: RUNS }),
    );
  });

  it('pipeline fuses map → filter → scan → take → batch into one process, same as on arrays', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.nat({ max: 20 }), fc.integer({ min: 1, max: 4 }), bufferArb, schedulerArb(), (xs, n, size, buffer, s) => {
        const mapped = xs.map((x) => x * 2).filter((x) => x % 3 !== 0);
        const scanned = mapped.map((_, i) => mapped.slice(0, i + 1).reduce((a, x) => a + x, 0)).slice(0, n);
        return same(
          () =>
            collect(
              pipeline(
                fromIterable(xs, { buffer }),
                map((x: number) => x * 2),
                filter((x: number) => x % 3 !== 0),
                scan((a: number, x: number) => a + x, 0),
                take(n),
                batch(size),
                { buffer },
              ),
            ),
          chunks(scanned, size),
          s,
        );
      }),
      seededParams('ops pipeline fused', { numRuns: RUNS }),
    );
  });

  it('pipeline with concurrency: ordered is xs.map(f); unordered is a permutation of it', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), schedulerArb(), (xs, concurrency, ordered, s) => {
        const slow = async (x: number): Promise<number> => {
          for (let i = 0; i < Math.abs(x) % 3; i++) await alt([skip()]);
          return x * 10;
        };
        const expected = xs.map((x) => x * 10);
        return same(
          async () => {
            const got = await collect(pipeline(fromIterable(xs), map(slow), filter(async (x: number) => x !== 999), { concurrency, ordered }));
            return ordered ? got : [...got].sort((a, b) => a - b);
          },
          ordered ? expected : [...expected].sort((a, b) => a - b),
          s,
        );
      }),
      seededParams('ops pipeline concurrent', { numRuns: RUNS }),
    );
  });

  it('merge gives every value of every input, each input in its order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(xsArb, { minLength: 1, maxLength: 4 }), bufferArb, schedulerArb(), (inputs, buffer, s) =>
        same(
          async () => {
            const tagged = inputs.map((xs, i) => fromIterable(xs.map((x) => [i, x] as const), { buffer }));
            const got = await collect(merge(tagged, { buffer }));
            return inputs.map((_, i) => got.filter(([k]) => k === i).map(([, x]) => x));
          },
          inputs,
          s,
        ),
      ),
      seededParams('ops merge', { numRuns: RUNS }),
    );
  });

  it('broadcast and tee give every value to every output', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: 1, max: 3 }), bufferArb, schedulerArb(), (xs, n, buffer, s) =>
        same(
          async () => {
            const outs = Array.from({ length: n }, () => chan<number>({ buffer }));
            const done = broadcast(fromIterable(xs), outs.map((c) => c.writer()));
            const viaBroadcast = await Promise.all(outs.map((c) => collect(c.reader())));
            await done;
            const viaTee = await Promise.all(tee(fromIterable(xs), n, { buffer }).map((r) => collect(r)));
            return [...viaBroadcast, ...viaTee];
          },
          Array.from({ length: 2 * n }, () => xs),
          s,
        ),
      ),
      seededParams('ops broadcast/tee', { numRuns: RUNS }),
    );
  });

  it('split is [xs.filter(p), xs.filter(not p)]; partition groups by key', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: 1, max: 4 }), bufferArb, schedulerArb(), (xs, n, buffer, s) => {
        const key = (x: number): number => Math.abs(x) % n;
        return same(
          async () => {
            const [yes, no] = split(fromIterable(xs), (x) => x > 0, { buffer });
            const halves = await Promise.all([collect(yes), collect(no)]);
            const parts = await Promise.all(partition(fromIterable(xs), n, key, { buffer }).map((r) => collect(r)));
            return { halves, parts };
          },
          { halves: [xs.filter((x) => x > 0), xs.filter((x) => !(x > 0))], parts: Array.from({ length: n }, (_, i) => xs.filter((x) => key(x) === i)) },
          s,
        );
      }),
      seededParams('ops split/partition', { numRuns: RUNS }),
    );
  });

  it('zip pairs values up to the shorter input', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, xsArb, bufferArb, schedulerArb(), (xs, ys, buffer, s) =>
        same(
          () => collect(zip([fromIterable(xs, { buffer }), fromIterable(ys.map(String), { buffer })] as const)),
          xs.slice(0, Math.min(xs.length, ys.length)).map((x, i) => [x, String(ys[i])]),
          s,
        ),
      ),
      seededParams('ops zip', { numRuns: RUNS }),
    );
  });

  it('pipe copies; writeAll writes an iterable; fromIterable takes an async iterable', async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, bufferArb, schedulerArb(), (xs, buffer, s) =>
        same(
          async () => {
            const a = chan<number>({ buffer });
            const b = chan<number>({ buffer });
            const w = a.writer();
            const piped = pipe(a.reader(), b.writer());
            const [, got] = await Promise.all([w.writeAll(new Set(xs).values()).then(() => w.retire()), collect(b.reader())]);
            await piped;
            const gen = async function* () {
              yield* xs;
            };
            return { got, fromAsync: await collect(fromIterable(gen(), { buffer })) };
          },
          { got: [...new Set(xs)], fromAsync: xs },
          s,
        ),
      ),
      seededParams('ops pipe/writeAll', { numRuns: RUNS }),
    );
  });

  it('ticker: a reader that keeps up sees every period on virtual time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 8 }), schedulerArb(), async (ms, n, s) => {
        const controller = new AbortController();
        const run = await runScheduled(async () => {
          const got = await collect(take(ticker(ms, { signal: controller.signal }), n));
          controller.abort();
          return got;
        }, s);
        expect(run.value).toEqual(Array.from({ length: n }, (_, i) => (i + 1) * ms));
        expect(run.time).toBe(n * ms);
      }),
      seededParams('ops ticker', { numRuns: RUNS }),
    );
  });
});
