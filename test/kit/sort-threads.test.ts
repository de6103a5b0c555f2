/**
 * The kit on the thread runtime: odd-even transposition sort with its cells in worker threads
 * (every neighbour exchange crosses a thread boundary) sorts like the reference.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { oddEvenSortNetwork, sortReference, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('odd-even transposition sort on threads', () => {
  test('sorts like the reference with its cells in worker threads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 8 }), async (values) => {
        const sorted: number[] = [];
        await run(oddEvenSortNetwork(values, sorted), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(sorted).toEqual(sortReference(values));
      }),
      seededParams('odd-even sort on threads', { numRuns: 4 }),
    );
  });
});
