/**
 * The loop of `split` and `partition`: each value to the one output `choose` names.
 *
 * Invariants:
 * - values bound for the same output leave in input order, consecutive ones in one writeMany;
 * - a value bound for an output whose readers have all retired is discarded (nobody can read
 *   it, as with a write to such a channel: R3); once every output has gone the loop ends and
 *   the input retires;
 * - `choose` giving anything but an output index is a real error (the operator fails).
 */
import type { Reader, Writer } from '../core/ends.js';
import { CHUNK } from './fuse.js';
import { isEndOfStream, isReadersGone, type Body } from './operator.js';

export function routeBody<T>(where: string, reader: Reader<T>, writers: readonly Writer<T>[], choose: (value: T) => number): Body {
  return async () => {
    const gone = writers.map(() => false);
    let left = writers.length;
    const send = async (to: number, values: T[]): Promise<void> => {
      if (gone[to]) return;
      try {
        await (writers[to] as Writer<T>).writeMany(values);
      } catch (error) {
        if (!isReadersGone(error)) throw error;
        gone[to] = true;
        left--;
      }
    };
    while (left > 0) {
      let batch: T[];
      try {
        batch = await reader.readMany(CHUNK);
      } catch (error) {
        if (isEndOfStream(error)) return;
        throw error;
      }
      let run: T[] = [];
      let to = -1;
      for (const value of batch) {
        const i = choose(value);
        if (!Number.isInteger(i) || i < 0 || i >= writers.length) {
          throw new RangeError(`${where}: the chooser gave ${String(i)} for a value; it must give an output index in [0, ${writers.length})`);
        }
        if (i !== to && run.length > 0) {
          await send(to, run);
          run = [];
        }
        to = i;
        run.push(value);
      }
      if (run.length > 0) await send(to, run);
    }
  };
}
