/**
 * The conformance suite: every rule of docs/semantics.md as framework-agnostic cases, each run
 * over every buffer kind. A transport passes when every case's `run` resolves.
 *
 *   for (const c of conformanceCases()) it(c.name, () => c.run(myTransport));
 */
import { abortCases } from './abort.js';
import { altCases } from './alt.js';
import { breathingCases } from './breathing.js';
import { deadlockCases } from './deadlock.js';
import { fifoCases } from './fifo.js';
import { iterationCases } from './iteration.js';
import { manyCases } from './many.js';
import { pendingCases } from './pending.js';
import { poisonCases } from './poison.js';
import { processCases } from './processes.js';
import { rendezvousCases } from './rendezvous.js';
import { retireCases } from './retire.js';
import { tryCases } from './try.js';
import { BUFFER_KINDS, type BufferKind, type ConformanceCase } from './types.js';

export { BUFFER_KINDS, bufferKind, waits, type BufferKind, type ConformanceCase, type ConformanceTransport } from './types.js';

/** The topics, in the order of docs/semantics.md. */
const TOPICS: readonly ((kind: BufferKind) => ConformanceCase[])[] = [
  rendezvousCases,
  fifoCases,
  tryCases,
  manyCases,
  iterationCases,
  pendingCases,
  retireCases,
  poisonCases,
  processCases,
  abortCases,
  altCases,
  deadlockCases,
  breathingCases,
];

/** Every case, for every kind (default: rendezvous, fixed(1), fixed(10), dropping(4), sliding(4)). */
export function conformanceCases(options: { readonly kinds?: readonly BufferKind[] } = {}): ConformanceCase[] {
  const kinds = options.kinds ?? BUFFER_KINDS;
  const cases: ConformanceCase[] = [];
  for (const kind of kinds) for (const topic of TOPICS) cases.push(...topic(kind));
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`conformance: two cases are named "${c.name}"`);
    names.add(c.name);
  }
  return cases;
}
