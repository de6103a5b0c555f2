/**
 * The alt-across-homes cases (src/testing/alt-homes.ts) over NATS: channels living in two
 * `cspflow worker` child processes and in this one, every guard of a worker channel a proxy over
 * a real NATS server.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { altHomesCases, altWorld } from '../../src/testing/alt-homes.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startNatsHome, type NatsHome } from './nats-home.js';

let server: NatsServer;
let homes: NatsHome[] = [];

describe('alt across homes over NATS (two worker processes and this one)', () => {
  beforeAll(async () => {
    server = await startNatsServer();
    homes = await Promise.all([startNatsHome(server.url, 'alt-a'), startNatsHome(server.url, 'alt-b')]);
  });
  afterAll(async () => {
    await Promise.all(homes.map((h) => h.dispose()));
    await server.dispose();
  });

  for (const c of altHomesCases) {
    it(c.name, async () => {
      const [a, b] = homes as [NatsHome, NatsHome];
      await c.run(
        altWorld([(o) => a.chan(o), (o) => b.chan(o)], async () => {
          await a.settle();
          await b.settle();
        }),
      );
    });
  }
});
