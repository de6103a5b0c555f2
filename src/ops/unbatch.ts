/**
 * `unbatch`: each array (any iterable) in, its values out, in order.   [a,b]-[c]-|  →  a-b-c-|
 * `unbatch()` is a stage (for pipeline); `unbatch(reader, options?)` runs it.
 */
import type { Reader } from '../core/ends.js';
import { isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import type { Stage } from './stage.js';

export function unbatch<T>(): Stage<Iterable<T>, T>;
export function unbatch<T>(reader: Reader<Iterable<T>>, options: IntoOptions<T>): Promise<void>;
export function unbatch<T>(reader: Reader<Iterable<T>>, options?: OutputOptions): Reader<T>;
export function unbatch(reader?: unknown, options?: OperatorOptions<unknown>): unknown {
  if (reader === undefined) return unbatchStage();
  if (!isReader(reader)) throw new TypeError(`unbatch(reader): reader must be a Reader (an end made by channel.reader()), or absent for the stage form`);
  return runStages('unbatch', reader, [unbatchStage()], options);
}

function unbatchStage<T>(): Stage<Iterable<T>, T> {
  return {
    kind: 'cspflow.stage',
    name: 'unbatch',
    each: (values) => [...values],
    step: (next, context) => ({
      push: (values) => {
        for (const value of values) {
          if (context.stopped) return;
          next.push(value);
        }
      },
      end: () => next.end(),
      expire: () => next.expire(),
    }),
  };
}
