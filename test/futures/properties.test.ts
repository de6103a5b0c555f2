/**
 * Properties: for generated inputs, chunk sizes and windows, `map` equals Array.prototype.map,
 * `mapIterable` yields the same sequence, `mapUnordered` the same multiset, and naive
 * submissions the same values — in one thread and on two worker threads; nested submissions
 * (fib, quicksort) give the plain recursion's results for any number of farm workers and any
 * concurrency (what runs in a farm worker's own queue and what is shared). Seeds are printed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { seededParams } from 'cspflow/testing';
import { futures, type Pool } from 'cspflow/futures';
import { asyncDouble, fib, inc, quicksort } from './fixtures/tasks.js';
import { runtimes } from './runtimes.js';

const settings = fc.record({
  xs: fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 400 }),
  chunk: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
  window: fc.option(fc.integer({ min: 1, max: 128 }), { nil: undefined }),
  async: fc.boolean(),
});

const RUNS: Record<string, number> = { local: 100, threads: 15 };

describe.each(runtimes)('map on %s', (name, runtime) => {
  let pool: Pool;
  beforeAll(() => {
    pool = futures({ runtime: runtime(), tasks: [inc, asyncDouble] });
  });
  afterAll(() => pool.close());

  test('equals Array.prototype.map, in every form', async () => {
    await fc.assert(
      fc.asyncProperty(settings, async ({ xs, chunk, window, async }) => {
        const t = async ? asyncDouble : inc;
        const f = async ? (x: number) => x * 2 : (x: number) => x + 1;
        const want = xs.map(f);
        const options = { ...(chunk === undefined ? {} : { chunk }), ...(window === undefined ? {} : { window }) };
        expect(await pool.map(t, xs, options)).toEqual(want);
        const ordered: number[] = [];
        for await (const y of pool.mapIterable(t, xs, options)) ordered.push(y);
        expect(ordered).toEqual(want);
        const unordered: number[] = [];
        for await (const y of pool.mapUnordered(t, xs, options)) unordered.push(y);
        expect(unordered.sort((a, b) => a - b)).toEqual([...want].sort((a, b) => a - b));
        expect(await Promise.all(xs.map((x) => pool.submit(t, x)))).toEqual(want);
      }),
      seededParams(`map equals Array.prototype.map on ${name}`, { numRuns: RUNS[name] }),
    );
  });
});

const fibOf = (n: number): number => (n < 2 ? n : fibOf(n - 1) + fibOf(n - 2));

test('nested submissions equal the plain recursion, whatever the farm workers and concurrency (local)', async () => {
  const shapes = fc.record({
    n: fc.integer({ min: 0, max: 12 }),
    xs: fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 60 }),
    workers: fc.integer({ min: 1, max: 4 }),
    concurrency: fc.integer({ min: 1, max: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(shapes, async ({ n, xs, workers, concurrency }) => {
      await using pool = futures({ tasks: [fib, quicksort], workers, concurrency });
      expect(await pool.submit(fib, n)).toBe(fibOf(n));
      expect(await pool.submit(quicksort, xs)).toEqual([...xs].sort((a, b) => a - b));
    }),
    seededParams('nested submissions equal the plain recursion', { numRuns: 40 }),
  );
});
