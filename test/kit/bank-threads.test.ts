/**
 * The kit on the thread runtime: account processes in worker threads, clients on main; the final
 * balances are exactly the initial ones plus the transfers that went through (no money lost).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bankNetwork, bankReference, type BankResult } from '../../src/kit/bank.js';
import { run, threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

const kitModule = new URL('../../src/kit/bank.ts', import.meta.url);

describe('bank transfers on threads', () => {
  test('no money lost, with the accounts in worker threads', async () => {
    const setup = fc.integer({ min: 1, max: 4 }).chain((accounts) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: accounts, maxLength: accounts }),
        fc.array(
          fc.array(fc.record({ from: fc.nat(accounts - 1), to: fc.nat(accounts - 1), amount: fc.integer({ min: 1, max: 15 }) }), { maxLength: 5 }),
          { minLength: 1, maxLength: 3 },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(setup, async ([initial, clients]) => {
        const result: BankResult = { balances: new Array<number>(initial.length).fill(0), done: clients.map(() => []) };
        await run(bankNetwork(initial, clients, result), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(result.balances).toEqual(bankReference(initial, result.done));
        expect(result.balances.reduce((a, b) => a + b, 0)).toBe(initial.reduce((a, b) => a + b, 0));
      }),
      seededParams('bank on threads', { numRuns: 4 }),
    );
  });
});
