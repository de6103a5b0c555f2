/**
 * Moving large buffers instead of copying them (issue 8): a value marked by `transfer` crosses a
 * thread boundary as a transfer list beside its message, so the writer's buffer is detached and
 * the reader gets the bytes intact — through a channel living in a worker, both ways. Buffers that
 * cannot be moved fail the write with TransferError; an alt's offer is copied, never moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alt, chan, network, output, process, run, timeout, transfer, TransferError, type Reader, type Writer } from '../../src/index.js';
import { startRemoteHome, type RemoteHome } from '../../src/testing/remote-home.js';
import { threads } from '../../src/threads/index.js';
import { measure } from '../fixtures/thread-procs.js';

const PROCS = new URL('../fixtures/thread-procs.ts', import.meta.url).href;

const MiB = 1024 * 1024;

let home: RemoteHome;
beforeAll(async () => {
  home = await startRemoteHome();
});
afterAll(async () => {
  await home.dispose();
});

/** `n` bytes, each its index's low byte plus `seed`. */
function pattern(n: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i + seed) & 0xff;
  return bytes;
}

function intact(bytes: Uint8Array, n: number, seed = 0): boolean {
  if (bytes.byteLength !== n) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== ((i + seed) & 0xff)) return false;
  return true;
}

describe('a moved buffer on threads', () => {
  it('rendezvous: the writer’s 8 MiB buffer is detached after the write, the reader gets it intact', async () => {
    const c = home.chan<Uint8Array>({ name: 'move-rendezvous' });
    const w = c.writer();
    const r = c.reader();
    const bytes = pattern(8 * MiB);
    const [, got] = await Promise.all([w.write(transfer(bytes)), r.read()]);
    expect(bytes.byteLength).toBe(0);
    expect(got).toBeInstanceOf(Uint8Array);
    expect(intact(got, 8 * MiB)).toBe(true);
  });

  it('buffered, written on credit: each buffer is detached once its batch has left, and arrives intact, in order', async () => {
    const c = home.chan<Uint8Array>({ name: 'move-buffered', buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const sent = [0, 1, 2].map((k) => pattern(MiB, k));
    await w.write(transfer(sent[0] as Uint8Array)); // answered: grants credit
    await w.write(transfer(sent[1] as Uint8Array)); // on credit
    await w.write(transfer(sent[2] as Uint8Array));
    await home.settle();
    expect(sent.map((b) => b.byteLength)).toEqual([0, 0, 0]);
    const got = [await r.read(), await r.read(), await r.read()];
    got.forEach((b, k) => expect(intact(b, MiB, k)).toBe(true));
  });

  it('for-await over the reader (which reads ahead): every value arrives intact', async () => {
    const c = home.chan<Uint8Array>({ name: 'move-ahead', buffer: 8 });
    const w = c.writer();
    const r = c.reader();
    const n = 6;
    const writing = (async () => {
      for (let k = 0; k < n; k++) await w.write(transfer(pattern(64 * 1024, k)));
      await w.retire();
    })();
    let k = 0;
    for await (const b of r) {
      expect(intact(b, 64 * 1024, k)).toBe(true);
      k++;
    }
    await writing;
    expect(k).toBe(n);
  });

  it('keeps the kind: an ArrayBuffer arrives as an ArrayBuffer, a Float64Array as a Float64Array, a Buffer as a Buffer', async () => {
    const c = home.chan<unknown>({ name: 'move-kinds', buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const ab = pattern(1000).buffer as ArrayBuffer;
    const f = Float64Array.from([1.5, -2, Math.PI]);
    const buf = Buffer.from(new TextEncoder().encode('hello, moved world').buffer);
    await w.writeMany([transfer(ab), transfer(f), transfer(buf), 'plain']);
    const got = await r.readMany(4);
    expect(ab.byteLength).toBe(0);
    expect(f.byteLength).toBe(0);
    expect(buf.byteLength).toBe(0);
    expect(got[0]).toBeInstanceOf(ArrayBuffer);
    expect(intact(new Uint8Array(got[0] as ArrayBuffer), 1000)).toBe(true);
    expect(got[1]).toBeInstanceOf(Float64Array);
    expect([...(got[1] as Float64Array)]).toEqual([1.5, -2, Math.PI]);
    expect(Buffer.isBuffer(got[2])).toBe(true);
    expect((got[2] as Buffer).toString()).toBe('hello, moved world');
    expect(got[3]).toBe('plain');
  });

  it('a value not marked is copied: the writer keeps its buffer', async () => {
    const c = home.chan<Uint8Array>({ name: 'copy' });
    const w = c.writer();
    const r = c.reader();
    const bytes = pattern(64 * 1024);
    const [, got] = await Promise.all([w.write(bytes), r.read()]);
    expect(intact(bytes, 64 * 1024)).toBe(true);
    expect(intact(got, 64 * 1024)).toBe(true);
  });

  it('an output guard’s value is copied, never moved (the alt may commit to another guard)', async () => {
    const c = home.chan<Uint8Array>({ name: 'move-alt' });
    const w = c.writer();
    const bytes = transfer(pattern(64 * 1024));
    const chosen = await alt([output(w, bytes), timeout(0)]);
    expect(chosen.index).toBe(1);
    expect(intact(bytes, 64 * 1024)).toBe(true);
  });
});

describe('a moved buffer in a run on the thread runtime', () => {
  it('main writes moved 8 MiB buffers to a process in a worker: each is detached here and arrives whole there', async () => {
    const sent = [pattern(8 * MiB, 1), pattern(8 * MiB, 2)];
    const expected = sent.map((b) => [b.length, b.reduce((s, x) => s + x, 0)]);
    const got: [number, number][] = [];
    const net = network((n) => {
      const bytes = n.channel<Uint8Array>('bytes', { buffer: 1 });
      const sums = n.channel<[number, number]>('sums');
      n.spawn(measure(bytes.reader(), sums.writer()));
      n.spawn(
        process('transfer-test/main', async (out: Writer<Uint8Array>, input: Reader<[number, number]>) => {
          for (const b of sent) {
            await out.write(transfer(b));
            got.push(await input.read());
          }
          await out.retire();
        })(bytes.writer(), sums.reader()),
        { place: 'main' },
      );
    });
    await using pool = threads({ size: 1, modules: [PROCS] });
    await run(net, { runtime: pool });
    expect(got).toEqual(expected);
    expect(sent.map((b) => b.byteLength)).toEqual([0, 0]);
  });
});

describe('what cannot be moved fails at the write with TransferError', () => {
  it('a buffer already moved: writing it again is refused, nothing sent', async () => {
    const c = home.chan<Uint8Array>({ name: 'move-twice', buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const bytes = transfer(pattern(1024));
    await w.write(bytes);
    await home.settle();
    const error = (await w.write(bytes).catch((e: unknown) => e)) as TransferError;
    expect(error).toBeInstanceOf(TransferError);
    expect(error.code).toBe('ERR_CSPFLOW_TRANSFER');
    expect(error.message).toMatch(/detached/);
    expect(() => w.tryWrite(bytes)).toThrow(TransferError);
    expect(intact(await r.read(), 1024)).toBe(true);
    await home.settle();
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' });
  });

  it('transfer() refuses shared memory, a detached buffer, a view of part of a buffer and what is not binary', () => {
    expect(() => transfer(new SharedArrayBuffer(16) as unknown as ArrayBuffer)).toThrow(TransferError);
    expect(() => transfer(new Uint8Array(new SharedArrayBuffer(16)))).toThrow(/SharedArrayBuffer/);
    const gone = new ArrayBuffer(16);
    structuredClone(gone, { transfer: [gone] });
    expect(() => transfer(gone)).toThrow(/detached/);
    expect(() => transfer(new Uint8Array(64).subarray(8))).toThrow(/whole buffer/);
    // A small Buffer lives in Node's shared pool: moving its buffer would take the pool.
    expect(() => transfer(Buffer.from('pooled'))).toThrow(/whole buffer/);
    expect(() => transfer({ bytes: 1 } as unknown as ArrayBuffer)).toThrow(TransferError);
  });
});

describe('where nothing crosses a thread', () => {
  it('a local channel passes the value by reference: the reader gets the very object, not detached', async () => {
    const c = chan<Uint8Array>();
    const bytes = pattern(MiB);
    const [, got] = await Promise.all([c.writer().write(transfer(bytes)), c.reader().read()]);
    expect(got).toBe(bytes);
    expect(bytes.byteLength).toBe(MiB);
  });
});
