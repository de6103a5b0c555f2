import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { integrate, integrateReference, monteCarloPi, monteCarloPiReference } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

describe('farms over one any-to-any channel', () => {
  test('Monte Carlo π counts exactly the hits of the sequential reference, under any schedule', async () => {
    const options = fc.record({
      tasks: fc.integer({ min: 0, max: 8 }),
      samples: fc.integer({ min: 1, max: 200 }),
      seed: fc.integer(),
      workers: fc.integer({ min: 1, max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(options, schedulerArb(), async (o, s) => {
        const { value } = await runScheduled(() => monteCarloPi(o), s);
        const ref = monteCarloPiReference(o);
        expect([value.hits, value.points]).toEqual([ref.hits, ref.points]);
        expect(value.done.reduce((a, b) => a + b, 0)).toBe(o.tasks);
      }),
      seededParams('monte carlo pi', { numRuns: 80 }),
    );
  });

  test('numeric integration equals the sequential sum bit for bit, under any schedule', async () => {
    const f = (x: number): number => Math.sin(x) * x + 1 / (1 + x * x);
    const options = fc.record({ chunks: fc.integer({ min: 1, max: 8 }), steps: fc.integer({ min: 1, max: 50 }), workers: fc.integer({ min: 1, max: 4 }) });
    const bounds = fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(options, bounds, schedulerArb(), async (o, [a, b], s) => {
        const { value } = await runScheduled(() => integrate(f, a, b, o), s);
        expect(value).toBe(integrateReference(f, a, b, o));
      }),
      seededParams('integration', { numRuns: 80 }),
    );
  });

  test('π comes out near π on the real scheduler', async () => {
    const r = await monteCarloPi({ tasks: 8, samples: 5000, seed: 7, workers: 4 });
    expect(Math.abs(r.pi - Math.PI)).toBeLessThan(0.05);
    expect(await integrate((x) => x * x, 0, 3, { chunks: 6, steps: 100, workers: 3 })).toBeCloseTo(9, 3);
  });
});
