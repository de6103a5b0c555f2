/**
 * The conformance suite on the thread transport: every channel lives in a worker thread and every
 * end the cases use is a proxy in this thread, so each operation, retirement, poison and alt of
 * docs/semantics.md crosses a thread boundary.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { conformanceCases, type ConformanceTransport } from '../../src/testing/conformance/index.js';
import { startRemoteHome, type RemoteHome } from '../../src/testing/remote-home.js';

let home: RemoteHome;
const transport: ConformanceTransport = {
  name: 'threads',
  exactTry: false,
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
    it(c.name, () => c.run(transport));
  }
});
