/**
 * A durable channel's stream at its byte limit (`durable: { maxBytes }`, JetStream `max_bytes`
 * with `discard: new`) back-pressures the writer: a write beyond the limit waits until a reader
 * has finished values, and nothing is dropped. Ordering is by a condition, not by time: the sink
 * starts reading only once the server reports the stream full (another message would not fit), so
 * every write that resolved before the first read was stored within the limit or accepted into
 * one of the writer's MAX_IN_FLIGHT publishes (values travel many to a message, a message at most
 * an eighth of the byte limit: here 2 values of 200 B), and the writes after it waited for the
 * reader.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { network, process, run, type Reader, type Writer } from '../../src/index.js';
import { nats } from '../../src/nats/index.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { BATCH_HEAD, VALUE_HEAD } from '../../src/transports/nats/durable-batch.js';
import { MAX_IN_FLIGHT } from '../../src/transports/nats/durable-ledger.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
});
afterAll(async () => {
  await server.dispose();
});

const VALUE_BYTES = 200;
const MAX_BYTES = 4_096;

interface StreamState {
  readonly name: string;
  readonly state?: { readonly messages: number; readonly bytes: number };
}

/** The state of the first stream named `${prefix}_…`, polled until it is full: one more message of the same size would not fit. */
async function full(prefix: string): Promise<{ messages: number; bytes: number }> {
  for (;;) {
    const jsz = (await server.monitor('/jsz?streams=true')) as { account_details?: { stream_detail?: StreamState[] }[] } | null;
    for (const account of jsz?.account_details ?? []) {
      for (const d of account.stream_detail ?? []) {
        const s = d.state;
        if (d.name.startsWith(`${prefix}_`) && s !== undefined && s.messages > 0 && s.bytes + s.bytes / s.messages > MAX_BYTES) return s;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** The values one message carries: as many JSON strings of VALUE_BYTES as fit an eighth of the byte limit. */
const PER_MESSAGE = Math.floor((MAX_BYTES / 8 - BATCH_HEAD) / (VALUE_HEAD + VALUE_BYTES + 2));
const value = (i: number): string => `${String(i).padStart(6, '0')}${'x'.repeat(VALUE_BYTES - 6)}`;

describe('a stream at its byte limit', () => {
  it('the writer waits for a reader, the stream never over its bytes, every value arrives exactly once', async () => {
    const n = 200;
    const events: string[] = [];
    let atFull: { messages: number; bytes: number; written: number } | null = null;
    const writer = process('bytes-source', async (out: Writer<string>) => {
      for (let i = 0; i < n; i++) {
        await out.write(value(i));
        events.push('w');
      }
    });
    const got: string[] = [];
    const reader = process('bytes-sink', async (input: Reader<string>) => {
      const s = await full('dbytes');
      atFull = { ...s, written: events.length };
      for await (const v of input) {
        events.push('r');
        got.push(v);
      }
    });
    const net = network((net) => {
      const c = net.channel<string>('bytes', { buffer: 10_000, durable: { maxBytes: MAX_BYTES } });
      net.spawn(writer(c.writer()), { place: 'main' });
      net.spawn(reader(c.reader()), { place: 'main' });
    });
    await run(net, { runtime: nats({ servers: server.url, prefix: 'dbytes', discoverMs: 300 }) });
    assert.ok(atFull !== null);
    const { messages, bytes, written } = atFull as { messages: number; bytes: number; written: number };
    assert.ok(bytes <= MAX_BYTES, `the stream held ${bytes} bytes, its limit is ${MAX_BYTES}`);
    assert.ok(written < n, 'the writer was held at the limit');
    const first = events.indexOf('r');
    const accepted = (messages + MAX_IN_FLIGHT + 1) * PER_MESSAGE;
    assert.ok(first >= written && first <= accepted, `${first} writes resolved before the first read, the full stream held ${messages} messages of ${PER_MESSAGE} values, ${MAX_IN_FLIGHT} more may be in flight: the writer waited for the reader`);
    assert.equal(got.length, n, 'nothing dropped, nothing twice');
    assert.deepEqual([...got].sort(), Array.from({ length: n }, (_, i) => value(i)));
  }, 60_000);

  it('maxBytes must be an integer >= 1', () => {
    assert.throws(() => network((net) => net.channel<string>('bad', { buffer: 8, durable: { maxBytes: 0 } })), /maxBytes/);
  });
});
