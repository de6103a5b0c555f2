/** The loop of `pipe` and of each `merge` input: read a batch, write it, until the input ends. */
import type { Reader, Writer } from '../core/ends.js';
import { CHUNK } from './fuse.js';
import { isEndOfStream, type Body } from './operator.js';

export function pumpBody<T>(reader: Reader<T>, writer: Writer<T>): Body {
  return async () => {
    for (;;) {
      let batch: T[];
      try {
        batch = await reader.readMany(CHUNK);
      } catch (error) {
        if (isEndOfStream(error)) return;
        throw error;
      }
      await writer.writeMany(batch);
    }
  };
}
