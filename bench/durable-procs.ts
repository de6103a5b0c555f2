/** The process the durable benchmark runs on `cspflow worker` processes (loaded by path). */
import { process, type Reader, type Writer } from '../src/index.js';

/** A tiny task: x + 1, one durable value in, one out. */
export const durableInc = process('bench-durable-inc', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x + 1);
});
