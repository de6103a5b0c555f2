/**
 * The move-or-copy rows of bench/threads.ts: n buffers of `size` bytes from the main thread to a
 * worker, one at a time, each answered with its length — by raw postMessage (cloned, or moved in
 * its transfer list) and by a cspflow rendezvous channel (a plain write, or `write(transfer(b))`).
 * Every case allocates a fresh buffer per send (a moved one is gone), so allocation is in all of them.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { network, process, run, transfer, type Reader, type Writer } from '../src/index.js';
import { threads } from '../src/threads/index.js';
import { bufferSink } from './threads-procs.js';

const MODULE = new URL('./threads-procs.ts', import.meta.url).href;
/** Sends before the clock starts. */
const WARM = 3;

export interface Timed {
  readonly ms: number;
  readonly check: number;
}

/** Raw: postMessage of each buffer (moved: in the transfer list), the worker answers with its length. */
export async function rawBuffers(n: number, size: number, move: boolean): Promise<Timed> {
  const w = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (b) => parentPort.postMessage(b.byteLength));`, { eval: true });
  await once(w, 'online');
  const one = async (): Promise<number> => {
    const b = new Uint8Array(size);
    const answer = once(w, 'message');
    w.postMessage(b, move ? [b.buffer] : []);
    return (await answer)[0] as number;
  };
  for (let i = 0; i < WARM; i++) await one();
  let check = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) check += await one();
  const ms = performance.now() - t0;
  await w.terminate();
  return { ms, check };
}

/** cspflow: a rendezvous channel to a worker process (moved: each written as `transfer(b)`), lengths back. */
export async function oursBuffers(n: number, size: number, move: boolean): Promise<Timed> {
  let ms = 0;
  let check = 0;
  const net = network((net) => {
    const buffers = net.channel<Uint8Array>('buffers');
    const lengths = net.channel<number>('lengths');
    net.spawn(bufferSink(buffers.reader(), lengths.writer()));
    net.spawn(
      process('bench-buffer-source', async (out: Writer<Uint8Array>, back: Reader<number>) => {
        const one = async (): Promise<number> => {
          const b = new Uint8Array(size);
          await out.write(move ? transfer(b) : b);
          return back.read();
        };
        for (let i = 0; i < WARM; i++) await one();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) check += await one();
        ms = performance.now() - t0;
        await out.retire();
      })(buffers.writer(), lengths.reader()),
      { place: 'main' },
    );
  });
  await using pool = threads({ size: 1, modules: [MODULE] });
  await run(net, { runtime: pool });
  return { ms, check };
}
