/** Generated bank scenarios: initial balances of 1–4 accounts, and 1–3 clients' transfer lists. */
import fc from 'fast-check';
import type { Transfer } from 'cspflow/kit';

export const bankSetup: fc.Arbitrary<[number[], Transfer[][]]> = fc.integer({ min: 1, max: 4 }).chain((accounts) =>
  fc.tuple(
    fc.array(fc.integer({ min: 0, max: 20 }), { minLength: accounts, maxLength: accounts }),
    fc.array(
      fc.array(fc.record({ from: fc.nat(accounts - 1), to: fc.nat(accounts - 1), amount: fc.integer({ min: 1, max: 15 }) }), { maxLength: 5 }),
      { minLength: 1, maxLength: 3 },
    ),
  ),
);
