/**
 * The JetStream store under a durable channel, against one real server: a call failing while the
 * server is away (the connection's first, as for a worker that had not yet asked anything when the
 * JetStream metadata leader was killed) does not fail the calls after it.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { durableStore, type DurableStore } from '../../src/transports/nats/jetstream-client.js';
import { connectBus, type NatsBus } from '../../src/transports/nats/nats-client.js';

const timers = {
  setTimer(ms: number, fire: () => void): () => void {
    const t = setTimeout(fire, ms);
    return () => clearTimeout(t);
  },
};

let server: NatsServer;
const buses: NatsBus[] = [];
beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
});
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await server.dispose();
});

async function storeOn(url: string): Promise<DurableStore> {
  const bus = await connectBus({ servers: url, name: 'durable-store-test' });
  buses.push(bus);
  return durableStore(bus, timers);
}

describe('the JetStream store', () => {
  it('a call failing while the server is away, the first of its connection, does not fail the calls after it', async () => {
    const store = await storeOn(server.url);
    const bus = buses[buses.length - 1] as NatsBus;
    const back = new Promise<void>((resolve) => bus.onStatus((s) => s.kind === 'reconnected' && resolve()));
    await server.stop();
    await assert.rejects(store.stored('NOT_THERE'));
    await server.restart();
    await back;
    await store.ensureStream({ name: 'AWAY', subject: 'away.values', maxMsgs: 10, replicas: 1, duplicateWindowMs: 120_000 });
    assert.equal(await store.stored('AWAY'), 0);
  }, 60_000);
});
