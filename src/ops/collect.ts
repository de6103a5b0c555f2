/**
 * `collect(reader)`: every value until end-of-stream, as an array, read by a process named
 * `collect` (so it shows in traces and deadlock reports). Rejects as `read` would: PoisonError
 * (its `cause` is the error that poisoned the channel), or RetiredError if the end was retired.
 */
import type { Reader } from '../core/ends.js';
import { expectReader } from './check.js';
import { CHUNK } from './fuse.js';
import { isEndOfStream, launchOne } from './operator.js';

export function collect<T>(reader: Reader<T>): Promise<T[]> {
  expectReader('collect(reader)', 'reader', reader);
  const values: T[] = [];
  let failure: { error: unknown } | null = null;
  const done = launchOne('collect', [reader], [], async () => {
    for (;;) {
      let batch: T[];
      try {
        batch = await reader.readMany(CHUNK);
      } catch (error) {
        if (isEndOfStream(error)) return;
        failure = { error };
        throw error;
      }
      for (let i = 0; i < batch.length; i++) values.push(batch[i] as T);
    }
  });
  return done.then(() => {
    if (failure !== null) throw failure.error;
    return values;
  });
}
