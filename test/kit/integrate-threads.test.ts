/**
 * The kit on the thread runtime: numeric integration as a farm of worker threads gives exactly
 * the sequential reference (same pieces, same order of summation).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { integrands, integrateNetwork, integrateReference, kitModule, type IntegrandName } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('numeric integration on threads', () => {
  test('equals the reference with the farm in worker threads', async () => {
    const setup = fc.record({
      f: fc.constantFrom(...(Object.keys(integrands) as IntegrandName[])),
      a: fc.integer({ min: -3, max: 0 }),
      b: fc.integer({ min: 1, max: 3 }),
      chunks: fc.integer({ min: 1, max: 8 }),
      steps: fc.integer({ min: 1, max: 50 }),
      workers: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(setup, async ({ f, a, b, ...options }) => {
        const parts: number[] = [];
        await run(integrateNetwork(f, a, b, options, parts), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(parts.reduce((s, x) => s + x, 0)).toBe(integrateReference(f, a, b, options));
      }),
      seededParams('integration on threads', { numRuns: 4 }),
    );
  });
});
