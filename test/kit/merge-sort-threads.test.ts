/**
 * The kit on the thread runtime: a merge-sort tree whose leaves and merges run in worker threads
 * sorts like the reference.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mergeSortTreeNetwork, sortReference, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('merge-sort tree on threads', () => {
  test('sorts like the reference with the tree in worker threads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 9 }), async (values) => {
        const sorted: number[] = [];
        await run(mergeSortTreeNetwork(values, sorted), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(sorted).toEqual(sortReference(values));
      }),
      seededParams('merge-sort tree on threads', { numRuns: 4 }),
    );
  });
});
