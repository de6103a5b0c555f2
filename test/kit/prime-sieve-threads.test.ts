/**
 * The kit on the thread runtime: the sieve's generator and its growing chain of filters run in
 * worker threads (the chain grows inside a worker); the primes equal the reference's.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { primeSieveNetwork, primesUpTo, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('prime sieve on threads', () => {
  test('finds the reference primes with the pipeline in worker threads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 80 }), async (limit) => {
        const found: number[] = [];
        await run(primeSieveNetwork(limit, found), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(found).toEqual(primesUpTo(limit));
      }),
      seededParams('prime sieve on threads', { numRuns: 4 }),
    );
  });
});
