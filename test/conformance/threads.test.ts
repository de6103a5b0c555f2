/**
 * The conformance suite on the thread transport: every channel lives in a worker thread and every
 * end the cases use is a proxy in this thread, so each operation, retirement, poison and alt of
 * docs/semantics.md crosses a thread boundary.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { conformanceCases, type ConformanceTransport } from '../../src/testing/conformance/index.js';
import { startRemoteHome, type RemoteHome } from '../../src/transports/threads/remote-home.js';

/**
 * Cases the reference implementation itself fails today (see KNOWN_FAILURES in local.test.ts):
 * the home performs every operation with the core, so threads fails them the same way, and only
 * those. `it.fails` turns red once the core is fixed: then delete the entry here too.
 */
const KNOWN_CORE_FAILURES: readonly RegExp[] = [/^D1 a deadlocked process run by seq is reported too/];

let home: RemoteHome;
const transport: ConformanceTransport = {
  name: 'threads',
  chan: (options) => home.chan(options),
  settle: () => home.settle(),
};

describe('conformance: threads (channels homed in a worker, every end a proxy)', () => {
  beforeAll(async () => {
    home = await startRemoteHome();
  });
  afterAll(async () => {
    await home.dispose();
  });

  // Every case, none skipped: the home performs each operation with the core's own channel.
  for (const c of conformanceCases()) {
    if (KNOWN_CORE_FAILURES.some((p) => p.test(c.name))) it.fails(`${c.name} — known core bug (see local.test.ts)`, () => c.run(transport));
    else it(c.name, () => c.run(transport));
  }
});
