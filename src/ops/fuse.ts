/**
 * The fused loop: a chain of synchronous stages run inside one process. It reads up to CHUNK
 * values at a time, pushes each through the chain, and writes what falls out with one
 * `writeMany`, so a chain costs one channel hop and a few function calls per value.
 *
 * Invariants:
 * - the next read starts only once the previous output was accepted (back-pressure holds);
 * - the loop stops reading as soon as the chain has stopped (a `take` has its count);
 * - a deadline (a batch's maxWaitMs) aborts only the pending read: no value is lost (A2, A3).
 */
import type { Reader, Writer } from '../core/ends.js';
import type { Scheduler } from '../core/scheduler.js';
import { Deadline, DeadlineReached } from './deadline.js';
import { isEndOfStream, type Body } from './operator.js';
import type { Stage, StageContext, Step } from './stage.js';

/** Values read at once: large enough to amortise a read, small enough to keep latency low. */
export const CHUNK = 256;

export function fusedBody<T, U>(input: Reader<T>, out: Writer<U>, stages: readonly Stage<unknown, unknown>[], scheduler: Scheduler): Body {
  return async () => {
    let emitted: U[] = [];
    const deadline = new Deadline(scheduler);
    const context: StageContext & { stopped: boolean; limit: number } = {
      stopped: false,
      limit: CHUNK,
      limitReads: (n) => void (context.limit = Math.max(1, Math.min(CHUNK, n))),
      arm: (ms) => deadline.arm(ms),
      disarm: () => deadline.disarm(),
    };
    const sink: Step<U> = {
      push: (value) => void emitted.push(value),
      end: () => void (context.stopped = true),
      expire: () => {},
    };
    let head = sink as Step<unknown>;
    for (let i = stages.length - 1; i >= 0; i--) head = (stages[i] as Stage<unknown, unknown>).step(head, context);
    try {
      while (!context.stopped) {
        let values: T[] | null = null;
        try {
          const signal = deadline.signal;
          values = await input.readMany(context.limit, signal === undefined ? undefined : { signal });
        } catch (error) {
          if (isEndOfStream(error)) head.end();
          else if (!(error instanceof DeadlineReached)) throw error;
        }
        if (values !== null) for (let i = 0; i < values.length && !context.stopped; i++) head.push(values[i]);
        if (deadline.due) {
          deadline.disarm();
          head.expire();
        }
        if (emitted.length > 0) {
          // A fresh array each time: a writer may keep the one it was given (a proxy writing on credit).
          const batch = emitted;
          emitted = [];
          await out.writeMany(batch);
        }
      }
    } finally {
      deadline.disarm();
    }
  };
}
