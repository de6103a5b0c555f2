import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { multiplyReference, prefixSums, prefixSumsReference, systolicMultiply } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

const matrices = fc
  .record({ n: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, k, m }) =>
    fc.tuple(
      fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: k, maxLength: k }), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: m, maxLength: m }), { minLength: k, maxLength: k }),
    ),
  );

describe('scans and grids', () => {
  test('prefix sums equal the sequential scan, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 16 }), schedulerArb(), async (xs, s) => {
        const { value } = await runScheduled(() => prefixSums(xs), s);
        expect(value).toEqual(prefixSumsReference(xs));
      }),
      seededParams('prefix sums', { numRuns: 80 }),
    );
  });

  test('systolic multiplication equals the sequential product, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(matrices, schedulerArb(), async ([a, b], s) => {
        const { value } = await runScheduled(() => systolicMultiply(a, b), s);
        expect(value).toEqual(multiplyReference(a, b));
      }),
      seededParams('systolic matmul', { numRuns: 80 }),
    );
  });

  test('both run on the real scheduler', async () => {
    expect(await prefixSums([1, 2, 3])).toEqual([1, 3, 6]);
    expect(await systolicMultiply([[1, 2], [3, 4]], [[5, 6], [7, 8]])).toEqual([[19, 22], [43, 50]]);
  });
});
