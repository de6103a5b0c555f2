/**
 * Processes the thread benchmark runs in worker threads (a TypeScript module, loaded by URL).
 */
import { process, RetiredError, type Reader, type Writer } from '../src/index.js';
import { eachBatch } from './each-batch.js';

/** Writes 0..n-1 in batches of `batch` (writeMany): a stream source. */
export const streamSource = process('bench-stream-source', async (n: number, batch: number, out: Writer<number>) => {
  for (let i = 0; i < n; i += batch) {
    const chunk = new Array<number>(Math.min(batch, n - i));
    for (let j = 0; j < chunk.length; j++) chunk[j] = (i + j) & 1023;
    await out.writeMany(chunk);
  }
});

/** Writes 0..n-1 one value at a time (write). */
export const streamSourceSingle = process('bench-stream-source-single', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i & 1023);
});

/** Answers every ping with a pong. */
export const ponger = process('bench-ponger', async (pings: Reader<number>, pongs: Writer<number>) => {
  for await (const v of pings) await pongs.write(v);
});

/** A farm worker: takes tasks in batches, answers each (x -> x * 2 + 1). */
export const farmWorker = process('bench-farm-worker', async (tasks: Reader<number>, results: Writer<number>) => {
  for (;;) {
    let batch: number[];
    try {
      batch = await tasks.readMany(1024);
    } catch (error) {
      if (error instanceof RetiredError) return;
      throw error;
    }
    for (let i = 0; i < batch.length; i++) batch[i] = (batch[i] as number) * 2 + 1;
    await results.writeMany(batch);
  }
});

/** A farm worker taking one task per message (x -> x * 2 + 1), answering each with a write. */
export const farmWorkerSingle = process('bench-farm-worker-single', async (tasks: Reader<number>, results: Writer<number>) => {
  for await (const x of tasks) await results.write(x * 2 + 1);
});

/** Takes buffers and answers each with its length (the move-or-copy rows). */
export const bufferSink = process('bench-buffer-sink', async (buffers: Reader<Uint8Array>, lengths: Writer<number>) => {
  for await (const b of buffers) await lengths.write(b.byteLength);
});

/**
 * A stream's sink in a worker: reads in batches, skips the first `warm` values, then times and
 * sums the rest and writes [ms, count, sum] once the writers retire.
 */
export const timedSink = process('bench-timed-sink', async (warm: number, r: Reader<number>, result: Writer<number[]>) => {
  let t0 = 0;
  let seen = 0;
  let count = 0;
  let sum = 0;
  await eachBatch(r, (values) => {
    if (seen < warm) {
      seen += values.length;
      if (seen >= warm) {
        t0 = performance.now();
        count = seen - warm;
      }
      return;
    }
    count += values.length;
    for (let i = 0; i < values.length; i++) sum += values[i] as number;
  });
  await result.write([performance.now() - t0, count, sum]);
});
