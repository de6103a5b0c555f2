/**
 * The kit on the thread runtime: producers in worker threads, consumers on the main thread,
 * through one bounded any-to-any channel: every item arrives exactly once, and each consumer sees
 * each producer's items in the order written.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { producedItems, producerConsumerNetwork, type Item, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

const key = (i: Item): string => `${i.producer}:${i.seq}`;

describe('bounded producer-consumer on threads', () => {
  test('nothing lost or duplicated, FIFO per producer, producers in worker threads', async () => {
    const options = fc.record({
      items: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 3 }),
      consumers: fc.integer({ min: 1, max: 3 }),
      capacity: fc.integer({ min: 0, max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const received: Item[][] = Array.from({ length: o.consumers }, () => []);
        await run(producerConsumerNetwork(o, received), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(received.flat().map(key).sort()).toEqual(producedItems(o).map(key).sort());
        for (const got of received) {
          for (let p = 0; p < o.items.length; p++) {
            const seqs = got.filter((i) => i.producer === p).map((i) => i.seq);
            expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          }
        }
      }),
      seededParams('producer-consumer on threads', { numRuns: 4 }),
    );
  });
});
