/**
 * The conformance suite, unchanged, over NATS: every channel lives in a `cspflow worker` child
 * process and every end the cases use is a proxy in this process, so each operation, retirement,
 * poison and alt crosses a real NATS server on reliable links.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { conformanceCases, type ConformanceTransport } from '../../src/testing/conformance/index.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startNatsHome, type NatsHome } from './nats-home.js';

let server: NatsServer;
let home: NatsHome;
const transport: ConformanceTransport = {
  name: 'nats',
  exactTry: false,
  chan: (options) => home.chan(options),
  settle: () => home.settle(),
};

describe('conformance: nats (channels homed in a worker process, every end a proxy over NATS)', () => {
  beforeAll(async () => {
    server = await startNatsServer();
    home = await startNatsHome(server.url, 'conformance');
  });
  afterAll(async () => {
    await home.dispose();
    await server.dispose();
  });

  for (const c of conformanceCases()) {
    it(c.name, () => c.run(transport));
  }
});
