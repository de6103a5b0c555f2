/**
 * The kit on the thread runtime: map-reduce word count with mappers and reducers in worker
 * threads gives the sequential reference's counts (few runs: each starts two workers).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { sortedCounts, wordCountNetwork, wordCountReference, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

const word = fc.constantFrom('csp', 'channel', 'alt', 'poison', 'retire', 'Go', 'go', 'π', 'node20');
const doc = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));

describe('map-reduce word count on threads', () => {
  test('equals the sequential count with mappers and reducers in worker threads', async () => {
    const shape = fc.record({ mappers: fc.integer({ min: 1, max: 3 }), reducers: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 6 }), shape, async (docs, o) => {
        const counts = new Map<string, number>();
        await run(wordCountNetwork(docs, o, counts), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(sortedCounts(counts)).toEqual(wordCountReference(docs));
      }),
      seededParams('word count on threads', { numRuns: 4 }),
    );
  });
});
