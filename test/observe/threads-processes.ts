/** Processes the observe tests run in worker threads (loaded by URL). */
import { process, type Reader } from '../../src/index.js';

/** Reads its input to the end and drops every value. */
export const drop = process('drop', async (input: Reader<number>) => {
  for await (const _ of input);
});
