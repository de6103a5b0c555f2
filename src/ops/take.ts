/**
 * `take`: the first n values, then the end; the input is retired (upstream learns nobody reads).
 *   a--b--c--d--  →  a--b--|   (n = 2)
 * `take(n)` is a stage (for pipeline); `take(reader, n, options?)` runs it.
 */
import type { Reader } from '../core/ends.js';
import { expectInteger, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import type { Stage } from './stage.js';

export function take<T>(n: number): Stage<T, T>;
export function take<T>(reader: Reader<T>, n: number, options: IntoOptions<T>): Promise<void>;
export function take<T>(reader: Reader<T>, n: number, options?: OutputOptions): Reader<T>;
export function take(a: unknown, n?: unknown, options?: OperatorOptions<unknown>): unknown {
  if (!isReader(a)) {
    expectInteger('take(n)', 'n', a, 0);
    return takeStage(a as number);
  }
  expectInteger('take(reader, n)', 'n', n, 0);
  return runStages('take', a, [takeStage(n as number)], options);
}

function takeStage<T>(n: number): Stage<T, T> {
  return {
    kind: 'cspflow.stage',
    name: 'take',
    step: (next, context) => {
      let left = n;
      if (left === 0) next.end();
      else context.limitReads(left);
      return {
        push: (value) => {
          if (left === 0) return;
          next.push(value);
          if (--left === 0) next.end();
          else context.limitReads(left);
        },
        end: () => {
          if (left > 0) {
            left = 0;
            next.end();
          }
        },
        expire: () => next.expire(),
      };
    },
  };
}
