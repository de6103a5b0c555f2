/**
 * The thread wire's spin-then-wait (transports/threads/doorbell.ts): after a send to another
 * thread, a PortWire may take the answer straight from its port while spinning, or the event loop
 * may deliver it; either way every message arrives once, whole, and in the order it was posted.
 * `drain` (what a spin that heard its doorbell calls) is checked on its own, deterministically;
 * then a bare worker speaking the wire's own terms (its doorbell first, then a ring after each
 * message it posts) echoes every message, answering some at once and some late.
 */
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PortWire } from '../../src/transports/threads/node-threads.js';

const ECHO = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ port }) => {
  const mine = new Int32Array(new SharedArrayBuffer(4));
  let bell = null;
  const pending = [];
  const post = (m) => {
    port.postMessage(m);
    if (bell !== null) Atomics.add(bell, 0, 1);
  };
  port.on('message', (m) => {
    if (typeof m === 'object' && m !== null && 'bell' in m) {
      bell = new Int32Array(m.bell);
      return;
    }
    // Every third message is answered after a pause (the sender's spin gives up and it sleeps),
    // and those after it wait their turn, so the echo keeps the order.
    const n = Buffer.from(m, 'latin1').readUInt32LE(0);
    if (pending.length > 0 || n % 3 === 2) {
      pending.push(m);
      if (pending.length === 1) setTimeout(function flush() { post(pending.shift()); if (pending.length > 0) setTimeout(flush, 1); }, 1);
    } else post(m);
  });
  port.postMessage({ bell: mine.buffer, thread: -1 });
});
`;

function message(n: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setUint32(0, n, true);
  bytes.fill(0xa5, 4);
  return bytes;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

describe('PortWire.drain (what a spin that heard its doorbell does)', () => {
  it('delivers every message waiting on the port, in the order posted, then nothing; a closed wire takes none', () => {
    const { port1, port2 } = new MessageChannel();
    const wire = new PortWire(port1);
    const got: number[] = [];
    wire.onMessage((bytes) => got.push(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true)));
    for (let k = 0; k < 10; k++) port2.postMessage(latin1(message(k)));
    expect(wire.drain()).toBe(true);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(wire.drain()).toBe(false);
    port2.postMessage(latin1(message(10)));
    wire.close();
    expect(wire.drain()).toBe(false);
    expect(got).toHaveLength(10);
    port2.close();
  });
});

describe('PortWire between two threads', () => {
  it('delivers every echoed message once, whole and in order, whether taken while spinning or by the event loop', async () => {
    const worker = new Worker(ECHO, { eval: true });
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ port: port2 }, [port2]);
    const wire = new PortWire(port1);
    const got: number[] = [];
    const N = 300;
    const done = new Promise<void>((resolve, reject) => {
      wire.onMessage((bytes) => {
        if (bytes.length !== 8 || bytes.subarray(4).some((b) => b !== 0xa5)) reject(new Error(`message ${got.length} arrived changed`));
        got.push(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true));
        const next = got.length;
        if (next === N) resolve();
        // A ping-pong for the first half, then the rest in bursts of five (several in flight).
        else if (next < N / 2) wire.send(message(next));
        else if (next === N / 2 || next % 5 === 0) for (let k = next; k < Math.min(next + 5, N); k++) wire.send(message(k));
      });
    });
    wire.send(message(0));
    await done;
    expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
    wire.close();
    await Promise.all([worker.terminate(), once(worker, 'exit')]);
  });
});
