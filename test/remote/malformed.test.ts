/**
 * Bad input from a peer, of every kind, sent raw to a station playing each role — the home of a
 * channel, and the client whose proxies wait for answers: bytes that do not decode, MessagePack
 * that is not a message list, an unknown kind, fields of the wrong type, ids that name nothing,
 * a message over the link's limit, a message before the handshake, another protocol version.
 * Each is a named ProtocolError (told to the station, and to the operation or channel it
 * concerns), never an exception out of a handler; and the station keeps serving afterwards.
 */
import { describe, expect, it } from 'vitest';
import { messagePacker } from '../../src/codec/msgpack.js';
import { msgpackCodec } from '../../src/codec/msgpack.js';
import { PoisonError } from '../../src/core/errors.js';
import { ProtocolError } from '../../src/remote/errors.js';
import type { PeerConnection } from '../../src/remote/peer.js';
import { encodeFields, PROTOCOL_VERSION, parseMessage, type Message } from '../../src/remote/protocol.js';
import { Station } from '../../src/remote/station.js';
import { seededChoices } from '../../src/testing/choices.js';
import { SimNetwork, type SimWire } from '../../src/testing/sim/network.js';

/** A station under test, and the raw far end of its only link, driven by hand. */
function rig(maxMessageBytes = 64 * 1024) {
  const network = new SimNetwork({ choices: seededChoices(1), maxMessageBytes });
  const station = new Station({ id: 'tested' });
  const faults: Error[] = [];
  station.onFault = (e) => faults.push(e);
  const [toRaw, raw] = network.pair('tested', 'raw');
  const peer: PeerConnection = station.connect(toRaw, { peer: 'raw', defer: network.defer });
  const packer = messagePacker();
  const received: Message[] = [];
  raw.onMessage((bytes) => {
    for (const m of packer.unpackAll(bytes)) {
      const parsed = parseMessage(m, 'tested');
      if (parsed instanceof ProtocolError) throw parsed;
      received.push(parsed);
    }
  });
  const sendRaw = (bytes: Uint8Array): void => (raw as SimWire).send(bytes);
  /** Sends messages given as records (`kind` and fields, well formed or not) as the protocol packs them. */
  const send = (...messages: Record<string, unknown>[]): void => {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const { kind, ...fields } of messages) size += packer.pack(encodeFields(String(kind), fields), parts);
    sendRaw(packer.join(parts, size, messages.length));
  };
  const settle = (): Promise<void> => network.settle();
  const last = <K extends Message['kind']>(kind: K): Extract<Message, { kind: K }> | undefined => received.filter((m): m is Extract<Message, { kind: K }> => m.kind === kind).at(-1);
  return { network, station, faults, peer, send, sendRaw, settle, received, last, packer };
}

const codec = msgpackCodec<number>();
const hello = { kind: 'hello', version: PROTOCOL_VERSION, peer: 'raw' };

function lastFault(faults: readonly Error[]): ProtocolError {
  const f = faults.at(-1);
  expect(f).toBeInstanceOf(ProtocolError);
  return f as ProtocolError;
}

describe('a home keeps serving after bad input', () => {
  /** A home with channel 1 (buffer 4), reader end 2 and writer end 3 opened by the raw peer. */
  async function home() {
    const r = rig();
    r.send(
      hello,
      { kind: 'make-channel', channel: 1, name: 'c', buffer: { kind: 'fixed', capacity: 4 }, maxPending: 8, codec: 'msgpack' },
      { kind: 'open', channel: 1, end: 2, side: 'reader' },
      { kind: 'open', channel: 1, end: 3, side: 'writer' },
    );
    await r.settle();
    expect(r.received.filter((m) => m.kind === 'opened').length).toBe(2);
    let op = 100;
    /** Writes `v` and reads it back through the home: it still serves. */
    const stillServes = async (v: number): Promise<void> => {
      const w = ++op;
      const rd = ++op;
      r.send({ kind: 'write', op: w, end: 3, data: codec.encodeMany!([v]), abortable: false }, { kind: 'read', op: rd, end: 2, max: 0, abortable: false, ahead: 0 });
      await r.settle();
      expect(r.received.some((m) => m.kind === 'written' && m.op === w)).toBe(true);
      const values = r.received.find((m) => m.kind === 'values' && m.op === rd);
      expect(values?.kind === 'values' ? codec.decodeMany!(values.data) : null).toEqual([v]);
    };
    await stillServes(0);
    return { ...r, stillServes };
  }

  it('bytes that are not MessagePack, MessagePack that is not a message list, and a message over the limit', async () => {
    const h = await home();
    h.sendRaw(new Uint8Array([0xc1, 0xff, 0x13]));
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/does not decode/);
    h.sendRaw(new Uint8Array([0x92, 0x01]));
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/does not decode/);
    h.sendRaw(Uint8Array.of(42));
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/does not decode/);
    h.sendRaw(new Uint8Array(64 * 1024 + 1));
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/over this link's limit/);
    expect(h.faults.length).toBe(4);
    await h.stillServes(1);
  });

  it('an unknown kind, and fields of the wrong type (the operation named fails with the ProtocolError)', async () => {
    const h = await home();
    h.send({ kind: 'frobnicate', op: 5 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/unknown message kind 255/);
    const parts: Uint8Array[] = [];
    const size = h.packer.pack({ kind: 'ping', op: 6 } as never, parts);
    h.sendRaw(h.packer.join(parts, size, 1));
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/a message must be a list/);
    h.send({ kind: 'read', op: 7, end: 'two', max: 0, abortable: false, ahead: 0 });
    await h.settle();
    const fault = lastFault(h.faults);
    expect(fault.detail).toMatch(/"read" message: field "end" must be an integer/);
    expect(fault.about).toMatchObject({ kind: 'read', op: 7 });
    const failed = h.last('failed');
    expect(failed?.op).toBe(7);
    expect(failed?.error).toMatchObject({ kind: 'error', name: 'ProtocolError' });
    h.send({ kind: 'alt', op: 8, priority: true, guards: [{ kind: 'input', end: 2 }, { kind: 'sideways' }], abortable: false });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/field "guards" must be \[1\]: a guard/);
    expect(h.last('failed')?.op).toBe(8);
    await h.stillServes(2);
  });

  it('an "attach" (values moved beside a batch) that is malformed, or names a buffer the wire message does not carry: a ProtocolError, and that batch fails to decode rather than arriving short', async () => {
    const h = await home();
    h.send({ kind: 'attach', moved: 'everything' });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/"attach" message: field "moved" must be a non-empty list/);
    await h.stillServes(3);
    h.send({ kind: 'attach', moved: [[0, 'Uint8Array', null]] }, { kind: 'write', op: 50, end: 3, data: codec.encodeMany!([]), abortable: false });
    await h.settle();
    expect(h.faults.some((f) => f instanceof ProtocolError && /does not carry/.test(f.detail))).toBe(true);
    expect(h.last('failed')?.op).toBe(50);
    expect(h.faults.at(-1)?.message).toMatch(/did not arrive/);
  });

  it('ids that name nothing here: an unknown end fails its operation, an unknown channel fails the open', async () => {
    const h = await home();
    h.send({ kind: 'read', op: 9, end: 999, max: 0, abortable: false, ahead: 0 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/no end 999/);
    expect(h.last('failed')).toMatchObject({ op: 9, error: { name: 'ProtocolError' } });
    h.send({ kind: 'open', channel: 77, end: 10, side: 'reader' });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/no channel 77/);
    expect(h.last('end-failed')).toMatchObject({ end: 10, error: { name: 'ProtocolError' } });
    h.send({ kind: 'retire', end: 555 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/names end 555/);
    h.send({ kind: 'write', op: 11, end: 2, data: codec.encodeMany!([1]), abortable: false });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/end 2 is a reader end/);
    expect(h.last('failed')?.op).toBe(11);
    await h.stillServes(3);
  });

  it('a malformed write on credit loses its values: the channel is poisoned with the ProtocolError', async () => {
    const h = await home();
    h.send({ kind: 'write', op: 0, end: 3, data: 'not bytes', abortable: false }, { kind: 'read', op: 12, end: 2, max: 0, abortable: false, ahead: 0 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/field "data" must be binary/);
    const failed = h.last('failed');
    expect(failed).toMatchObject({ op: 12, error: { name: 'PoisonError', reason: { name: 'ProtocolError' } } });
    expect(h.received.some((m) => m.kind === 'channel' && m.event === 'poisoned')).toBe(true);
    // The link itself still serves: a new channel works.
    h.send(
      { kind: 'make-channel', channel: 20, name: 'd', buffer: null, maxPending: 8, codec: 'msgpack' },
      { kind: 'open', channel: 20, end: 21, side: 'reader' },
      { kind: 'open', channel: 20, end: 22, side: 'writer' },
      { kind: 'read', op: 13, end: 21, max: 0, abortable: false, ahead: 0 },
      { kind: 'write', op: 14, end: 22, data: codec.encodeMany!([42]), abortable: false },
    );
    await h.settle();
    const values = h.received.find((m) => m.kind === 'values' && m.op === 13);
    expect(values?.kind === 'values' ? codec.decodeMany!(values.data) : null).toEqual([42]);
  });

  it('an "adopt" (a direct route, record 0014) that is malformed, names no placeholder, the wrong side, one adopted already, or another channel: the end is refused', async () => {
    const h = await home();
    h.send({ kind: 'make-channel', channel: 30, name: 'other', buffer: null, maxPending: 8, codec: 'msgpack' });
    h.send({ kind: 'adopt', channel: 40, end: 41, side: 'writer', holder: 'raw', placeholder: 'three' });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/"adopt" message: field "placeholder" must be an integer/);
    h.send({ kind: 'adopt', channel: 40, end: 42, side: 'writer', holder: 'nobody', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/names end 3 of nobody, which nobody never opened here/);
    expect(h.last('end-failed')).toMatchObject({ end: 42, error: { name: 'ProtocolError' } });
    h.send({ kind: 'adopt', channel: 40, end: 43, side: 'reader', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/a writer end, for a reader end/);
    h.send({ kind: 'adopt', channel: 30, end: 44, side: 'writer', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/channel id 30 names another channel/);
    expect(h.last('end-failed')?.end).toBe(44);
    h.send({ kind: 'adopt', channel: 40, end: 2, side: 'writer', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/end id 2 is already used/);
    h.send({ kind: 'adopt', channel: 40, end: 47, side: 'writer', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/channel id 40 names another channel/);
    const faults = h.faults.length;
    // Well formed (the placeholder's channel is known on this very link as 1): writer 3 is adopted
    // as end 45 (it retires, the new end writes in its place).
    h.send({ kind: 'adopt', channel: 1, end: 45, side: 'writer', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(h.last('opened')?.end).toBe(45);
    expect(h.faults.length).toBe(faults);
    h.send({ kind: 'adopt', channel: 1, end: 46, side: 'writer', holder: 'raw', placeholder: 3 });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/end 3 of raw was already adopted/);
    h.send({ kind: 'write', op: 50, end: 45, data: codec.encodeMany!([7]), abortable: false }, { kind: 'read', op: 51, end: 2, max: 0, abortable: false, ahead: 0 });
    await h.settle();
    const values = h.received.find((m) => m.kind === 'values' && m.op === 51);
    expect(values?.kind === 'values' ? codec.decodeMany!(values.data) : null).toEqual([7]);
  });

  it('a spawn whose routed argument is malformed fails that spawn with the ProtocolError', async () => {
    const h = await home();
    h.send({ kind: 'spawn', pid: 9, name: 'p', site: '', args: [{ kind: 'routed', side: 'writer', via: 'x', placeholder: 1, channel: 'one', name: 'c', codec: 'msgpack' }] });
    await h.settle();
    expect(lastFault(h.faults).detail).toMatch(/"spawn" message: field "args" must be \[0\]: field "channel" must be an integer/);
    expect(h.last('ended')).toMatchObject({ pid: 9, error: { name: 'ProtocolError' } });
    await h.stillServes(4);
  });

  it('a message before the handshake, and a peer speaking another version', async () => {
    const r = rig();
    r.send({ kind: 'ping', op: 1 });
    await r.settle();
    expect(lastFault(r.faults).detail).toMatch(/before the peer's hello/);
    r.send(hello, { kind: 'ping', op: 2 });
    await r.settle();
    expect(r.last('pong')?.op).toBe(2);
    const v = rig();
    const lost: Error[] = [];
    v.peer.onLost((e) => lost.push(e));
    v.send({ ...hello, version: PROTOCOL_VERSION + 1 });
    await v.settle();
    expect(lastFault(v.faults).detail).toMatch(/protocol version/);
    expect(lost[0]).toBeInstanceOf(ProtocolError);
  });
});

describe('a client keeps serving after bad input', () => {
  /** A station whose proxies use channel 1 living at the raw peer (which answers by hand). */
  async function client() {
    const r = rig();
    r.send(hello);
    const channel = r.peer.channel<number>({ name: 'remote', codec: msgpackCodec<number>() });
    const reader = channel.reader();
    await r.settle();
    const opened = r.received.find((m) => m.kind === 'open');
    expect(opened).toMatchObject({ channel: 1, side: 'reader' });
    r.send({ kind: 'opened', end: opened?.kind === 'open' ? opened.end : 0, credit: 0 });
    /** A read the raw home answers properly: the client still serves. */
    const stillServes = async (v: number): Promise<void> => {
      const reading = reader.read();
      await r.settle();
      const read = r.last('read');
      r.send({ kind: 'values', op: read?.op ?? 0, data: codec.encodeMany!([v]), last: true });
      await r.settle();
      expect(await reading).toBe(v);
    };
    await stillServes(1);
    return { ...r, reader, stillServes };
  }

  it('bytes that do not decode, and a message over the limit', async () => {
    const c = await client();
    c.sendRaw(new Uint8Array([0xc1, 0x00]));
    c.sendRaw(new Uint8Array(64 * 1024 + 5));
    await c.settle();
    expect(c.faults.map((f) => (f as ProtocolError).detail)).toEqual([expect.stringMatching(/does not decode/), expect.stringMatching(/over this link's limit/)]);
    await c.stillServes(2);
  });

  it('an answer with fields of the wrong type fails the operation it names with the ProtocolError', async () => {
    const c = await client();
    const reading = c.reader.read().catch((e: unknown) => e);
    await c.settle();
    c.send({ kind: 'values', op: c.last('read')?.op, data: [1, 2, 3], last: true });
    await c.settle();
    const error = await reading;
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).detail).toMatch(/"values" message: field "data" must be binary/);
    await c.stillServes(3);
  });

  it('an unknown kind', async () => {
    const c = await client();
    c.send({ kind: 'teleport', op: 3 });
    await c.settle();
    expect(lastFault(c.faults).detail).toMatch(/unknown message kind 255/);
    await c.stillServes(5);
  });

  it('answers and notices naming an operation or channel it does not know', async () => {
    const c = await client();
    c.send({ kind: 'written', op: 4242, credit: 0 });
    await c.settle();
    expect(lastFault(c.faults).detail).toMatch(/names operation 4242/);
    c.send({ kind: 'channel', channel: 99, event: 'poisoned', error: null });
    await c.settle();
    expect(lastFault(c.faults).detail).toMatch(/names channel 99/);
    c.send({ kind: 'pong' });
    await c.settle();
    expect(lastFault(c.faults).detail).toMatch(/"pong" message: field "op"/);
    expect(c.faults.length).toBe(3);
    await c.stillServes(4);
  });

  it('a poison notice from the home reaches the proxies as a PoisonError', async () => {
    const c = await client();
    const reading = c.reader.read().catch((e: unknown) => e);
    await c.settle();
    c.send({ kind: 'failed', op: c.last('read')?.op, error: c.station.errors.toWire(new PoisonError('gone', { channel: 'remote' })), aborted: false, credit: 0 });
    await c.settle();
    const error = await reading;
    expect(error).toBeInstanceOf(PoisonError);
    expect(() => c.reader.tryRead()).toThrow(PoisonError);
  });
});
