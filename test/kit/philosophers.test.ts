import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DeadlockError } from 'cspflow';
import { dine, dineReference, neighboursNeverEatTogether } from 'cspflow/kit';
import { runScheduled, ScheduleFailure, scheduleFromString, schedulerArb, seededParams } from 'cspflow/testing';

/** The fixed seed for "the naive philosophers are found deadlocking": the same runs every time. */
const NAIVE_SEED = 20_240_601;

describe('dining philosophers', () => {
  for (const strategy of ['footman', 'ordered'] as const) {
    test(`${strategy}: never deadlocks, everyone eats every meal, neighbours never eat together`, async () => {
      const table = fc.record({ philosophers: fc.integer({ min: 2, max: 6 }), meals: fc.integer({ min: 1, max: 3 }) });
      await fc.assert(
        fc.asyncProperty(table, schedulerArb(), async (t, s) => {
          const options = { ...t, strategy };
          const { value } = await runScheduled(() => dine(options), s);
          expect(value.meals).toEqual(dineReference(options));
          expect(neighboursNeverEatTogether(value.events, t.philosophers)).toBe(true);
        }),
        seededParams(`${strategy} philosophers`, { numRuns: 100 }),
      );
    });
  }

  test('naive: the scheduler finds the deadlock within the default number of runs (fixed seed), and its replay repeats it', async () => {
    const options = { philosophers: 5, meals: 3, strategy: 'naive' } as const;
    const details = await fc.check(
      fc.asyncProperty(schedulerArb(), async (s) => {
        await runScheduled(() => dine(options), s);
      }),
      seededParams('naive philosophers', { seed: NAIVE_SEED }),
    );
    expect(details.failed).toBe(true);
    console.log(`naive philosophers: deadlock found at run ${details.numRuns} of 100, shrunk ${details.numShrinks} times`);
    const failure = details.errorInstance;
    expect(failure).toBeInstanceOf(ScheduleFailure);
    expect((failure as ScheduleFailure).cause).toBeInstanceOf(DeadlockError);
    const replay = (failure as ScheduleFailure).replay;
    expect((failure as ScheduleFailure).message).toContain(`replay: "${replay}"`);

    const again = await runScheduled(() => dine(options), scheduleFromString(replay)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(ScheduleFailure);
    expect((again as ScheduleFailure).cause).toBeInstanceOf(DeadlockError);
    expect((again as ScheduleFailure).replay).toBe(replay);
    expect((again as ScheduleFailure).trace).toEqual((failure as ScheduleFailure).trace);
  });

  test('naive: the natural order alone does not deadlock (the bug needs an interleaving)', async () => {
    const { value } = await runScheduled(() => dine({ philosophers: 5, meals: 3, strategy: 'naive' }), scheduleFromString(''));
    expect(value.meals).toEqual([3, 3, 3, 3, 3]);
  });
});
