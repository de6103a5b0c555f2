import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { primeSieve, primesUpTo } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

describe('prime sieve', () => {
  test('finds the primes up to n, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), schedulerArb(), async (n, s) => {
        const { value } = await runScheduled(() => primeSieve(n), s);
        expect(value).toEqual(primesUpTo(n));
      }),
      seededParams('prime sieve', { numRuns: 60 }),
    );
  });

  test('runs on the real scheduler too', async () => {
    expect(await primeSieve(30)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
  });
});
