/**
 * Processes of bench/for-await.ts, loaded by the worker threads by URL: a README-style producer
 * (one `write` per value) and three consumers of the same stream — the idiomatic `for await` loop,
 * the hand-batched `readMany` loop, and a `read()` loop (one round trip per value: what `for await`
 * over a proxy cost before it read ahead). Each consumer times itself from its first value to the end
 * of the stream and reports `[sum, count, ms]` on a channel read on the main thread.
 */
import { process, RetiredError, type Reader, type Writer } from '../src/index.js';
import { eachBatch } from './each-batch.js';

export const produce = process('bench-fa-produce', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i & 1023);
});

export const consumeForAwait = process('bench-fa-for-await', async (input: Reader<number>, report: Writer<number[]>) => {
  let sum = 0;
  let count = 0;
  let t0 = 0;
  for await (const x of input) {
    if (count === 0) t0 = performance.now();
    sum += x;
    count++;
  }
  await report.write([sum, count, performance.now() - t0]);
});

export const consumeReadMany = process('bench-fa-read-many', async (input: Reader<number>, report: Writer<number[]>) => {
  let sum = 0;
  let count = 0;
  let t0 = 0;
  await eachBatch(input, (values) => {
    if (count === 0) t0 = performance.now();
    for (const x of values) sum += x;
    count += values.length;
  });
  await report.write([sum, count, performance.now() - t0]);
});

export const consumeRead = process('bench-fa-read', async (input: Reader<number>, report: Writer<number[]>) => {
  let sum = 0;
  let count = 0;
  let t0 = 0;
  for (;;) {
    let x: number;
    try {
      x = await input.read();
    } catch (error) {
      if (error instanceof RetiredError) break;
      throw error;
    }
    if (count === 0) t0 = performance.now();
    sum += x;
    count++;
  }
  await report.write([sum, count, performance.now() - t0]);
});
