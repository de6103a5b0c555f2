/**
 * The concurrent loop of `pipeline(..., { concurrency: n })`: each value goes through the
 * per-value stages on its own, up to n values at a time, awaiting what their functions return;
 * results leave in input order (`ordered`, the default) or as they complete.
 *
 * Two loops share the process: one reads while a slot is free, one writes finished results, so
 * a finished result never waits for the next input (a request/response loop through the pipeline
 * cannot lock up).
 *
 * Invariants:
 * - at most n values are between "read" and "written" (a slot is freed once its result is written);
 * - `ready` holds, in ordered mode, every value read and not yet written, in input order; in
 *   unordered mode, every finished value not yet written, in completion order;
 * - the first failure (a stage's error, a termination on either side) is kept, every end leaves
 *   at once (so both loops' pending operations end), and the body rejects with that failure.
 */
import type { Reader, Writer } from '../core/ends.js';
import { isEndOfStream, type Body } from './operator.js';

interface Slot<U> {
  done: boolean;
  values: readonly U[];
}

export function concurrentBody<T, U>(
  input: Reader<T>,
  out: Writer<U>,
  each: (value: T) => readonly U[] | Promise<readonly U[]>,
  concurrency: number,
  ordered: boolean,
  stop: (error: unknown) => void,
): Body {
  return async () => {
    const ready: Slot<U>[] = [];
    let inFlight = 0;
    let inputDone = false;
    let failure: { error: unknown } | null = null;
    let wakeReader: (() => void) | null = null;
    let wakeWriter: (() => void) | null = null;
    const wake = (): void => {
      const r = wakeReader;
      const w = wakeWriter;
      wakeReader = wakeWriter = null;
      r?.();
      w?.();
    };
    const fail = (error: unknown): void => {
      if (failure !== null) return;
      failure = { error };
      stop(error);
      wake();
    };

    const reading = async (): Promise<void> => {
      while (failure === null) {
        if (inFlight >= concurrency) {
          await new Promise<void>((resolve) => (wakeReader = resolve));
          continue;
        }
        let value: T;
        try {
          value = await input.read();
        } catch (error) {
          if (!isEndOfStream(error)) throw error;
          inputDone = true;
          wake();
          return;
        }
        inFlight++;
        const slot: Slot<U> = { done: false, values: [] };
        if (ordered) ready.push(slot);
        Promise.resolve()
          .then(() => each(value))
          .then((values) => {
            slot.done = true;
            slot.values = values;
            if (!ordered) ready.push(slot);
            wake();
          }, fail);
      }
    };

    const writing = async (): Promise<void> => {
      while (failure === null) {
        const slot = ready[0];
        if (slot === undefined || !slot.done) {
          if (inputDone && inFlight === 0) return;
          await new Promise<void>((resolve) => (wakeWriter = resolve));
          continue;
        }
        ready.shift();
        if (slot.values.length > 0) await out.writeMany(slot.values);
        inFlight--;
        wake();
      }
    };

    await Promise.all([reading().catch(fail), writing().catch(fail)]);
    if (failure !== null) throw (failure as { error: unknown }).error;
  };
}
