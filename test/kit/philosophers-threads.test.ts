/**
 * The kit on the thread runtime: the deadlock-free dining philosophers (footman, ordered forks)
 * with forks and philosophers in worker threads: every philosopher eats every meal, and
 * neighbours never eat together.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { dineNetwork, dineReference, neighboursNeverEatTogether, type DiningEvent, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('dining philosophers on threads', () => {
  test('the deadlock-free tables finish every meal, neighbours never together', async () => {
    const options = fc.record({
      philosophers: fc.integer({ min: 2, max: 5 }),
      meals: fc.integer({ min: 1, max: 3 }),
      strategy: fc.constantFrom('footman' as const, 'ordered' as const),
    });
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const events: DiningEvent[] = [];
        await run(dineNetwork(o, events), { runtime: threads({ size: 2, modules: [kitModule] }) });
        const meals = new Array<number>(o.philosophers).fill(0);
        for (const e of events) if (e.kind === 'end') meals[e.philosopher]++;
        expect(meals).toEqual(dineReference(o));
        expect(neighboursNeverEatTogether(events, o.philosophers)).toBe(true);
      }),
      seededParams('philosophers on threads', { numRuns: 4 }),
    );
  });
});
