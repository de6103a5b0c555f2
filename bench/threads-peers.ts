/**
 * The peers of bench/threads.ts: what Node itself gives between two threads (MessagePort
 * ping-pong, an Atomics.wait ping-pong, one postMessage per value, arrays of 1024, a
 * SharedArrayBuffer ring), a spinning thread making the machine busy, and three
 * worker pools on tiny tasks. Raw workers are inline (eval) so nothing but the measured thing runs.
 */
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';

export interface Timed {
  readonly ms: number;
  readonly check: number;
}

function inline(code: string, workerData?: unknown): Worker {
  return new Worker(code, { eval: true, workerData });
}

/** Round trips of one number over a MessagePort; ms is for all n. */
export async function rawPingPong(n: number): Promise<Timed> {
  const w = inline(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (v) => parentPort.postMessage(v));`);
  await new Promise<void>((resolve) => {
    w.once('message', () => resolve());
    w.postMessage(-1);
  });
  const t0 = performance.now();
  let check = 0;
  await new Promise<void>((resolve) => {
    let i = 0;
    w.on('message', (v: number) => {
      check += v;
      if (++i === n) resolve();
      else w.postMessage(i);
    });
    w.postMessage(0);
  });
  const ms = performance.now() - t0;
  await w.terminate();
  return { ms, check };
}

/**
 * Round trips of one number through a SharedArrayBuffer, each side blocking in Atomics.wait until
 * the other has written (a futex wake each way, no event loop): the floor of a blocking hand-off.
 */
export async function rawAtomicsPingPong(n: number): Promise<Timed> {
  const cells = new Int32Array(new SharedArrayBuffer(8)); // [0] ping counter, [1] pong counter
  const w = inline(
    `const { workerData: { sab, n } } = require('node:worker_threads');
     const cells = new Int32Array(sab);
     for (let i = 1; i <= n + 1; i++) {
       while (Atomics.load(cells, 0) < i) Atomics.wait(cells, 0, i - 1);
       Atomics.store(cells, 1, i);
       Atomics.notify(cells, 1);
     }`,
    { sab: cells.buffer, n },
  );
  await once(w, 'online');
  const exchange = (i: number): void => {
    Atomics.store(cells, 0, i);
    Atomics.notify(cells, 0);
    while (Atomics.load(cells, 1) < i) Atomics.wait(cells, 1, i - 1);
  };
  exchange(1); // the worker is running its loop
  const t0 = performance.now();
  for (let i = 2; i <= n + 1; i++) exchange(i);
  const ms = performance.now() - t0;
  await w.terminate();
  return { ms, check: n };
}

/**
 * A busy machine for the duration of `body`: a thread that spins without pause (it takes a core,
 * and the measured threads share what is left), stopped afterwards.
 */
export async function whileBusy<T>(body: () => Promise<T>): Promise<T> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const w = inline(
    `const { workerData: { sab } } = require('node:worker_threads');
     const stop = new Int32Array(sab);
     let x = 0;
     while (Atomics.load(stop, 0) === 0) x = (x * 31 + 7) | 0;`,
    { sab: stop.buffer },
  );
  await once(w, 'online');
  try {
    return await body();
  } finally {
    Atomics.store(stop, 0, 1);
    await once(w, 'exit');
  }
}

/** n numbers from a worker to this thread, one postMessage each (or arrays of `batch`). */
export async function rawStream(n: number, batch: number): Promise<Timed> {
  const w = inline(
    `const { parentPort, workerData: { n, batch } } = require('node:worker_threads');
     parentPort.once('message', () => {
       if (batch === 1) { for (let i = 0; i < n; i++) parentPort.postMessage(i & 1023); }
       else for (let i = 0; i < n; i += batch) { const a = new Array(Math.min(batch, n - i)); for (let j = 0; j < a.length; j++) a[j] = (i + j) & 1023; parentPort.postMessage(a); }
     });`,
    { n, batch },
  );
  await once(w, 'online');
  let count = 0;
  let check = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    w.on('message', (v: number | number[]) => {
      if (typeof v === 'number') {
        check += v;
        count++;
      } else {
        for (let i = 0; i < v.length; i++) check += v[i] as number;
        count += v.length;
      }
      if (count === n) resolve();
    });
    w.postMessage('go');
  });
  const ms = performance.now() - t0;
  await w.terminate();
  return { ms, check };
}

/**
 * n int32 values from a worker through a SharedArrayBuffer ring of `slots` slots: the producer
 * publishes as many as fit, the consumer takes all published; both spin (this is the floor).
 */
export async function sabRing(n: number, slots = 1 << 16): Promise<Timed> {
  const sab = new SharedArrayBuffer(8 + slots * 4);
  const idx = new Int32Array(sab, 0, 2); // [0] head (written), [1] tail (read)
  const ring = new Int32Array(sab, 8, slots);
  const w = inline(
    `const { workerData: { sab, n, slots } } = require('node:worker_threads');
     const idx = new Int32Array(sab, 0, 2), ring = new Int32Array(sab, 8, slots);
     let head = 0;
     while (head < n) {
       const tail = Atomics.load(idx, 1);
       const room = Math.min(slots - (head - tail), n - head);
       if (room === 0) continue;
       for (let k = 0; k < room; k++) ring[(head + k) & (slots - 1)] = (head + k) & 1023;
       head += room;
       Atomics.store(idx, 0, head);
     }`,
    { sab, n, slots },
  );
  await once(w, 'online');
  const t0 = performance.now();
  let tail = 0;
  let check = 0;
  while (tail < n) {
    const head = Atomics.load(idx, 0);
    for (let k = tail; k < head; k++) check += ring[k & (slots - 1)] as number;
    tail = head;
    Atomics.store(idx, 1, tail);
  }
  const ms = performance.now() - t0;
  await w.terminate();
  return { ms, check };
}

/** The pools' task module, written to a temp dir (pools load tasks from a file). */
const TASK = ((): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'cspflow-bench-')), 'task.mjs');
  writeFileSync(file, 'export default (x) => x * 2 + 1;\nexport const batch = (xs) => xs.map((x) => x * 2 + 1);\n');
  return file;
})();

/** n tiny tasks (x -> 2x + 1) submitted at once to a pool of 2 threads. */
export async function poolTasks(kind: 'piscina' | 'tinypool' | 'workerpool', n: number): Promise<Timed> {
  let run: (x: number) => Promise<number>;
  let close: () => Promise<unknown>;
  if (kind === 'piscina') {
    const pool = new Piscina({ filename: TASK, minThreads: 2, maxThreads: 2 });
    run = (x) => pool.run(x) as Promise<number>;
    close = () => pool.destroy();
  } else if (kind === 'tinypool') {
    const pool = new Tinypool({ filename: TASK, minThreads: 2, maxThreads: 2 });
    run = (x) => pool.run(x) as Promise<number>;
    close = () => pool.destroy();
  } else {
    const pool = workerpool.pool({ minWorkers: 2, maxWorkers: 2, workerType: 'thread' });
    const f = (x: number): number => x * 2 + 1;
    run = (x) => pool.exec(f, [x]) as unknown as Promise<number>;
    close = async () => {
      await pool.terminate();
    };
  }
  await Promise.all([run(0), run(1)]);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, (_, i) => run(i)));
  const ms = performance.now() - t0;
  await close();
  return { ms, check: results.reduce((a, b) => a + b, 0) };
}

/**
 * The same n tasks given to piscina in batches of `batch` (one run() per array, its `batch`
 * export mapping it): the fair peer of cspflow's farm, whose workers take tasks 1024 at a time.
 */
export async function piscinaBatches(n: number, batch: number): Promise<Timed> {
  const pool = new Piscina({ filename: TASK, minThreads: 2, maxThreads: 2 });
  const runBatch = (xs: number[]): Promise<number[]> => pool.run(xs, { name: 'batch' }) as Promise<number[]>;
  await Promise.all([runBatch([0]), runBatch([1])]);
  const t0 = performance.now();
  const calls: Promise<number[]>[] = [];
  for (let i = 0; i < n; i += batch) calls.push(runBatch(Array.from({ length: Math.min(batch, n - i) }, (_, j) => i + j)));
  const results = await Promise.all(calls);
  const ms = performance.now() - t0;
  await pool.destroy();
  let check = 0;
  for (const r of results) for (const v of r) check += v;
  return { ms, check };
}
