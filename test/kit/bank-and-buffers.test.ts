import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bankSetup } from './bank-setup.js';
import { bank, bankReference, producedItems, producerConsumer, type Item } from 'cspflow/kit';
import { runScheduled, schedulerArb, seededParams } from 'cspflow/testing';

describe('bank transfers and a bounded buffer', () => {
  test('no money is created or lost, no balance goes negative, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(bankSetup, schedulerArb(), async ([initial, clients], s) => {
        const { value } = await runScheduled(() => bank(initial, clients), s);
        expect(value.balances).toEqual(bankReference(initial, value.done));
        expect(value.balances.reduce((a, b) => a + b, 0)).toBe(initial.reduce((a, b) => a + b, 0));
        expect(value.balances.every((b) => b >= 0)).toBe(true);
      }),
      seededParams('bank', { numRuns: 80 }),
    );
  });

  test('bounded producer-consumer: no item lost or duplicated, FIFO per producer, under any schedule', async () => {
    const setup = fc.record({
      items: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
      consumers: fc.integer({ min: 1, max: 3 }),
      capacity: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(setup, schedulerArb(), async (o, s) => {
        const { value } = await runScheduled(() => producerConsumer(o), s);
        const key = (i: Item): string => `${i.producer}:${i.seq}`;
        expect(value.flat().map(key).sort()).toEqual(producedItems(o).map(key).sort());
        for (const got of value) {
          for (let p = 0; p < o.items.length; p++) {
            const seqs = got.filter((i) => i.producer === p).map((i) => i.seq);
            expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          }
        }
      }),
      seededParams('producer-consumer', { numRuns: 80 }),
    );
  });
});
