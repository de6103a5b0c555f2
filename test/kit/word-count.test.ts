import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { wordCount, wordCountReference } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

const word = fc.constantFrom('csp', 'channel', 'alt', 'poison', 'retire', 'Go', 'go', 'π', 'node20');
const doc = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));

describe('map-reduce word count', () => {
  test('equals the sequential count, under any schedule', async () => {
    const shape = fc.record({ mappers: fc.integer({ min: 1, max: 3 }), reducers: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 6 }), shape, schedulerArb(), async (docs, o, s) => {
        const { value } = await runScheduled(() => wordCount(docs, o), s);
        expect(value).toEqual(wordCountReference(docs));
      }),
      seededParams('word count', { numRuns: 80 }),
    );
  });

  test('runs on the real scheduler', async () => {
    expect(await wordCount(['a b a', 'B c'], { mappers: 2, reducers: 2 })).toEqual([['a', 2], ['b', 2], ['c', 1]]);
  });
});
