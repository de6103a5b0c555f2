/**
 * A durable reader over a scripted store (no server): a stream holding two copies of one publish
 * (the same message id under two sequences, as a publish retried across a server restart that
 * forgot the id leaves it) hands the values out once, and acknowledges the copy with the first;
 * the ids of the writes derived from a message depend on its id, not its sequence. The scripted
 * store hands each pull the messages queued for it, then answers empty.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { chan } from '../../src/index.js';
import { jsonCodec } from '../../src/codec/json.js';
import { encodeBatch } from '../../src/transports/nats/durable-batch.js';
import { inputKey } from '../../src/transports/nats/durable-ledger.js';
import { DurableReader } from '../../src/transports/nats/durable-reader.js';
import type { DurableSpec } from '../../src/transports/nats/durable-spec.js';
import type { DurableStore, HeldMessage } from '../../src/transports/nats/jetstream-client.js';

const codec = jsonCodec<number>();

interface Scripted {
  readonly store: DurableStore;
  /** What happened to each message, by sequence: 'ack' or 'nak', in order. */
  readonly fate: Map<number, string[]>;
}

function scriptedStore(pulls: { seq: number; id: string; values: number[] }[][]): Scripted {
  const fate = new Map<number, string[]>();
  const note = (seq: number, what: string): void => void fate.set(seq, [...(fate.get(seq) ?? []), what]);
  let next = 0;
  const held = (seq: number, id: string, values: number[]): HeldMessage => ({
    seq,
    id,
    deliveries: 1,
    data: encodeBatch(values.map((v) => codec.encode(v))),
    ack: () => Promise.resolve(note(seq, 'ack')),
    nak: () => note(seq, 'nak'),
    working: () => {},
  });
  const unused = (): never => {
    throw new Error('not used by a reader');
  };
  const store: DurableStore = {
    maxPayload: 1 << 20,
    ensureStream: unused,
    ensureConsumer: unused,
    deleteStream: unused,
    publish: unused,
    next: unused,
    onExhausted: unused,
    stored: () => Promise.resolve(0),
    unfinished: () => Promise.resolve(0),
    fetch(_stream, _durable, _max, _expires, take) {
      const batch = pulls[next++] ?? [];
      for (const m of batch) take(held(m.seq, m.id, m.values));
      return Promise.resolve(batch.length);
    },
  };
  return { store, fate };
}

const spec: DurableSpec = {
  channel: 'tasks',
  side: 'reader',
  stream: 'S',
  subject: 's',
  consumer: 'readers',
  ackWaitMs: 60_000,
  maxDeliver: 5,
  codec: 'json',
  capacity: 8,
  messageBytes: 1 << 16,
  writersBound: false,
};

const timers = {
  setTimer(ms: number, fire: () => void): () => void {
    const t = setTimeout(fire, ms);
    return () => clearTimeout(t);
  },
};

/** A reader over `store` whose writers have all left once `writersLeave` is called. */
function readerOver(store: DurableStore): { reader: DurableReader<number>; writersLeave: () => void } {
  const writers = chan<unknown>();
  const readers = chan<unknown>();
  const reader = new DurableReader<number>({ spec, store, codec: codec as never, watch: writers.reader(), presence: readers.writer(), timers });
  const w = writers.writer();
  return { reader, writersLeave: () => w.retire() };
}

describe('a durable reader and copies of one publish', () => {
  it('two copies of one message (same id, two sequences) in one pull: its values are handed out once, and the copy is acknowledged with it', async () => {
    const { store, fate } = scriptedStore([
      [
        { seq: 1, id: 'src:1', values: [10, 11] },
        { seq: 2, id: 'src:2', values: [20] },
        { seq: 3, id: 'src:1', values: [10, 11] },
      ],
    ]);
    const { reader, writersLeave } = readerOver(store);
    writersLeave();
    const got: number[] = [];
    for await (const v of reader) got.push(v);
    assert.deepEqual(got, [10, 11, 20]);
    await reader.settled();
    assert.deepEqual(fate.get(1), ['ack']);
    assert.deepEqual(fate.get(3), ['ack'], 'the copy is acknowledged, never handed out');
    assert.deepEqual(fate.get(2), ['ack']);
  });

  it('a copy arriving while the first is being taken, in a later pull, is not handed out either', async () => {
    const { store, fate } = scriptedStore([[{ seq: 5, id: 'src:9', values: [1, 2, 3] }], [{ seq: 8, id: 'src:9', values: [1, 2, 3] }]]);
    const { reader, writersLeave } = readerOver(store);
    writersLeave();
    const got: number[] = [];
    for await (const v of reader) got.push(v);
    assert.deepEqual(got, [1, 2, 3]);
    await reader.settled();
    assert.deepEqual(fate.get(5), ['ack']);
    assert.deepEqual(fate.get(8), ['ack']);
  });

  it('the writes derived from a message are named by its id: its copies derive the same ids; long ids are hashed to a short, stable key', () => {
    assert.equal(inputKey('S', 'src:1'), 'S:src:1');
    const long = `T:${'x'.repeat(100)}:0:64`;
    assert.equal(inputKey('S', long), inputKey('S', long));
    assert.notEqual(inputKey('S', long), inputKey('S', `${long}0`));
    assert.ok(inputKey('S', long).length < 40);
  });
});
