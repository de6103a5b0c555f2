/**
 * The conformance suite against the in-process transport (the reference implementation).
 */
import { describe, it } from 'vitest';
import { chan } from '../../src/index.js';
import { conformanceCases, type ConformanceTransport } from '../../src/testing/conformance/index.js';

const local: ConformanceTransport = {
  name: 'local',
  exactTry: true,
  chan,
  settle: () => new Promise<void>((resolve) => setImmediate(resolve)),
};

/**
 * Cases the reference implementation is known to fail (a core bug, reported). `it.fails` keeps
 * the run green while the bug stands and turns red once it is fixed: then delete the entry.
 */
const KNOWN_FAILURES: ReadonlyMap<RegExp, string> = new Map();

function knownFailure(name: string): string | undefined {
  for (const [pattern, why] of KNOWN_FAILURES) if (pattern.test(name)) return why;
  return undefined;
}

describe(`conformance: ${local.name}`, () => {
  for (const c of conformanceCases()) {
    if (knownFailure(c.name) !== undefined) it.fails(`${c.name} — KNOWN CORE BUG: ${knownFailure(c.name)}`, () => c.run(local));
    else it(c.name, () => c.run(local));
  }
});
