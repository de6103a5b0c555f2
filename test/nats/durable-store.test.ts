/**
 * The JetStream store under a durable channel, against one real server: a call failing while the
 * server is away (the connection's first, as for a worker that had not yet asked anything when the
 * JetStream metadata leader was killed) does not fail the calls after it; messages at or below the
 * consumer's ack floor — acknowledged, but left in the work-queue stream by a server killed with
 * SIGKILL — are dropped by `unfinished`, and nothing above the floor is; a message given up after
 * max_deliver is never dropped, even once the floor has passed it.
 *
 * Leftovers are made without a crash: a stream with limits retention keeps the messages its
 * consumer acknowledged, which is the state a killed server leaves a work-queue stream in.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { durableStore, type DurableStore, type HeldMessage } from '../../src/transports/nats/jetstream-client.js';
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

const encoder = new TextEncoder();

async function publishAll(store: DurableStore, subject: string, stream: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const r = await store.publish(subject, encoder.encode(id), id, stream, 5_000);
    assert.equal(r.kind, 'stored');
  }
}

/** Every message one pull brings (up to `max`). */
async function pull(store: DurableStore, stream: string, max: number): Promise<HeldMessage[]> {
  const got: HeldMessage[] = [];
  await store.fetch(stream, 'readers', max, 1_000, (m) => got.push(m));
  return got;
}

/** Asks the JetStream API directly; fails the test on an error answer. */
async function api(bus: NatsBus, subject: string, body: unknown): Promise<void> {
  const reply = await bus.request(`$JS.API.${subject}`, encoder.encode(JSON.stringify(body)), 5_000);
  const answer = JSON.parse(new TextDecoder().decode(reply.data)) as { error?: unknown };
  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
}

/** The durable consumer `readers` with `maxDeliver` (the store's own has the channel's settings). */
function rawConsumer(bus: NatsBus, stream: string, maxDeliver: number): Promise<void> {
  const config = { durable_name: 'readers', ack_policy: 'explicit', ack_wait: 30_000_000_000, max_deliver: maxDeliver };
  return api(bus, `CONSUMER.DURABLE.CREATE.${stream}.readers`, { stream_name: stream, config });
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

  it('messages at or below the ack floor are dropped as finished; those above it are kept and delivered', async () => {
    const store = await storeOn(server.url);
    const bus = buses[buses.length - 1] as NatsBus;
    await api(bus, 'STREAM.CREATE.LEFT', { name: 'LEFT', subjects: ['left.values'], retention: 'limits', storage: 'file', num_replicas: 1 });
    await rawConsumer(bus, 'LEFT', 5);
    await publishAll(store, 'left.values', 'LEFT', ['a', 'b', 'c', 'd', 'e']);
    const finished = await pull(store, 'LEFT', 5);
    assert.equal(finished.length, 5);
    await Promise.all(finished.map((m) => m.ack()));
    await publishAll(store, 'left.values', 'LEFT', ['f', 'g']);
    assert.equal(await store.stored('LEFT'), 7);
    assert.equal(await store.unfinished('LEFT', 'readers'), 2, 'the five below the floor dropped, the two above kept');
    assert.equal(await store.stored('LEFT'), 2);
    const held = await pull(store, 'LEFT', 10);
    assert.deepEqual(
      held.map((m) => m.seq),
      [6, 7],
    );
    await Promise.all(held.map((m) => m.ack()));
    assert.equal(await store.unfinished('LEFT', 'readers'), 0);
  }, 30_000);

  it('a message given up after max_deliver is not dropped once the ack floor passes it', async () => {
    const store = await storeOn(server.url);
    const bus = buses[buses.length - 1] as NatsBus;
    await store.ensureStream({ name: 'GIVEN_UP', subject: 'given-up.values', maxMsgs: 100, replicas: 1, duplicateWindowMs: 120_000 });
    await rawConsumer(bus, 'GIVEN_UP', 1);
    await publishAll(store, 'given-up.values', 'GIVEN_UP', ['x', 'y']);
    const [first] = await pull(store, 'GIVEN_UP', 1);
    assert.equal(first?.seq, 1);
    first.nak();
    // Its redelivery would be its second delivery: the consumer gives it up and delivers the next.
    const next = await pull(store, 'GIVEN_UP', 1);
    assert.deepEqual(
      next.map((m) => m.seq),
      [2],
    );
    await (next[0] as HeldMessage).ack();
    assert.equal(await store.unfinished('GIVEN_UP', 'readers'), 1, 'the message given up is still unfinished');
  }, 30_000);
});
