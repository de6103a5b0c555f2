/**
 * The loop of `broadcast` and `tee`: every value to every output still read.
 *
 * `laggards: 'wait'` (default): each batch read is written to every output at once and the next
 * read waits for all of them, so the slowest output sets the pace (core.async's mult).
 * `laggards: 'drop'`: each value is offered to every output at once; as soon as one has taken it,
 * the offers still waiting are withdrawn (abort: A2/A3 guarantee each output took it or never
 * saw it), so the fastest output sets the pace and a slower one misses values.
 *
 * Invariants:
 * - an output whose readers have all retired is dropped from the set; with none left, the loop
 *   ends (and the input retires: upstream learns nobody reads);
 * - values reach each output in input order.
 */
import type { Reader, Writer } from '../core/ends.js';
import { CHUNK } from './fuse.js';
import { isEndOfStream, isReadersGone, type Body } from './operator.js';

export type Laggards = 'wait' | 'drop';

export function fanOutBody<T>(reader: Reader<T>, writers: readonly Writer<T>[], laggards: Laggards): Body {
  return async () => {
    let live = writers.slice();
    const gone = new Set<Writer<T>>();
    /** A write that failed because nobody reads that output any more drops the output; any other failure is the operator's. */
    const note = (w: Writer<T>) => (error: unknown) => {
      if (isReadersGone(error)) gone.add(w);
      else if (!(error instanceof Withdrawn)) throw error;
    };
    while (live.length > 0) {
      let batch: T[];
      try {
        batch = await reader.readMany(CHUNK);
      } catch (error) {
        if (isEndOfStream(error)) return;
        throw error;
      }
      if (laggards === 'wait') await Promise.all(live.map((w) => w.writeMany(batch).catch(note(w))));
      else for (const value of batch) await offerToFastest(live, value, note);
      if (gone.size > 0) live = live.filter((w) => !gone.has(w));
    }
  };
}

async function offerToFastest<T>(live: readonly Writer<T>[], value: T, note: (w: Writer<T>) => (error: unknown) => void): Promise<void> {
  const controller = new AbortController();
  const options = { signal: controller.signal };
  const offers = live.map((w) => w.write(value, options).catch(note(w)));
  try {
    await Promise.race(offers);
  } finally {
    controller.abort(new Withdrawn());
  }
  await Promise.all(offers);
}

/** The abort reason of an offer withdrawn because a faster output took the value. */
class Withdrawn extends Error {
  override readonly name = 'Withdrawn';
}
