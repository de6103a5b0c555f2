/**
 * The kit on the thread runtime: Monte Carlo π with its workers in worker threads gives exactly
 * the sequential reference's hit count (per-task seeds), whatever thread did which task.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { monteCarloPiNetwork, monteCarloPiReference, kitModule, type PiTally } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('Monte Carlo π on threads', () => {
  test('hits equal the sequential reference with workers in worker threads', async () => {
    const options = fc.record({
      tasks: fc.integer({ min: 0, max: 12 }),
      samples: fc.integer({ min: 1, max: 200 }),
      seed: fc.integer(),
      workers: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const tally: PiTally = { hits: 0, done: [] };
        await run(monteCarloPiNetwork(o, tally), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(tally.hits).toBe(monteCarloPiReference(o).hits);
        expect(tally.done).toHaveLength(o.workers);
        expect(tally.done.reduce((a, b) => a + b, 0)).toBe(o.tasks);
      }),
      seededParams('pi on threads', { numRuns: 4 }),
    );
  });
});
