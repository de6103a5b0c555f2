import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mergeSortTree, oddEvenSort, sortReference } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

const values = fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 12 });

describe('parallel sorts', () => {
  test('odd-even transposition sort equals the sequential sort, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(values, schedulerArb(), async (xs, s) => {
        const { value } = await runScheduled(() => oddEvenSort(xs), s);
        expect(value).toEqual(sortReference(xs));
      }),
      seededParams('odd-even sort', { numRuns: 80 }),
    );
  });

  test('the merge-sort tree equals the sequential sort, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(values, schedulerArb(), async (xs, s) => {
        const { value } = await runScheduled(() => mergeSortTree(xs), s);
        expect(value).toEqual(sortReference(xs));
      }),
      seededParams('merge-sort tree', { numRuns: 80 }),
    );
  });

  test('both run on the real scheduler', async () => {
    expect(await oddEvenSort([3, 1, 2])).toEqual([1, 2, 3]);
    expect(await mergeSortTree([5, 4, 4, 1])).toEqual([1, 4, 4, 5]);
  });
});
