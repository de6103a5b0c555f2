/**
 * The kit on the thread runtime: account processes in worker threads, clients on main; the final
 * balances are exactly the initial ones plus the transfers that went through (no money lost).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bankSetup } from './bank-setup.js';
import { bankNetwork, bankReference, type BankResult, kitModule } from 'cspflow/kit';
import { run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { seededParams } from 'cspflow/testing';

describe('bank transfers on threads', () => {
  test('no money lost, with the accounts in worker threads', async () => {
    await fc.assert(
      fc.asyncProperty(bankSetup, async ([initial, clients]) => {
        const result: BankResult = { balances: new Array<number>(initial.length).fill(0), done: clients.map(() => []) };
        await run(bankNetwork(initial, clients, result), { runtime: threads({ size: 2, modules: [kitModule] }) });
        expect(result.balances).toEqual(bankReference(initial, result.done));
        expect(result.balances.reduce((a, b) => a + b, 0)).toBe(initial.reduce((a, b) => a + b, 0));
      }),
      seededParams('bank on threads', { numRuns: 4 }),
    );
  });
});
