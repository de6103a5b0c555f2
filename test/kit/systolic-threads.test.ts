/**
 * The kit on the thread runtime: a systolic grid whose feeds and cells run in worker threads
 * multiplies like the reference.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { multiplyReference, systolicNetwork, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

const matrix = (rows: number, cols: number) =>
  fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

describe('systolic matrix multiplication on threads', () => {
  test('equals the reference with the grid in worker threads', async () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
    const pair = dims.chain(([n, k, m]) => fc.tuple(matrix(n, k), matrix(k, m)));
    await fc.assert(
      fc.asyncProperty(pair, async ([a, b]) => {
        const c = a.map(() => new Array<number>((b[0] as number[]).length).fill(0));
        await run(systolicNetwork(a, b, c), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(c).toEqual(multiplyReference(a, b));
      }),
      seededParams('systolic on threads', { numRuns: 4 }),
    );
  });
});
