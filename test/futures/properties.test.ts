/**
 * Properties: for generated inputs, chunk sizes and windows, `map` equals Array.prototype.map,
 * `mapIterable` yields the same sequence, `mapUnordered` the same multiset, and naive
 * submissions the same values — in one thread and on two worker threads. Seeds are printed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { seededParams } from 'cspflow/testing';
import { futures, type Pool } from 'cspflow/futures';
import { asyncDouble, inc } from './fixtures/tasks.js';
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
