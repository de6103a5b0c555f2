/**
 * The kit on the thread runtime: a line of scan stages in worker threads computes the prefix sums
 * of the reference.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { prefixSumsNetwork, prefixSumsReference, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('prefix sums on threads', () => {
  test('equal the reference with the stages in worker threads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 10 }), async (values) => {
        const sums: number[] = [];
        await run(prefixSumsNetwork(values, sums), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(sums).toEqual(prefixSumsReference(values));
      }),
      seededParams('prefix sums on threads', { numRuns: 4 }),
    );
  });
});
