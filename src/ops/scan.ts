/**
 * `scan`: running accumulation, emitting each new accumulator (the seed itself is not emitted).
 *   a--b--c--|  →  f(s,a)--f(f(s,a),b)--…--|
 * `scan(f, seed)` is a stage (for pipeline); `scan(reader, f, seed, options?)` runs it.
 */
import type { Reader } from '../core/ends.js';
import { expectFunction, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import { isThenable, promiseInSyncStage, type Stage } from './stage.js';

export function scan<T, A>(f: (acc: A, value: T) => A, seed: A): Stage<T, A>;
export function scan<T, A>(reader: Reader<T>, f: (acc: A, value: T) => A, seed: A, options: IntoOptions<A>): Promise<void>;
export function scan<T, A>(reader: Reader<T>, f: (acc: A, value: T) => A, seed: A, options?: OutputOptions): Reader<A>;
export function scan(a: unknown, b: unknown, c?: unknown, options?: OperatorOptions<unknown>): unknown {
  if (!isReader(a)) {
    expectFunction('scan(f, seed)', 'f', a);
    return scanStage(a as (acc: unknown, value: unknown) => unknown, b);
  }
  expectFunction('scan(reader, f, seed)', 'f', b);
  return runStages('scan', a, [scanStage(b as (acc: unknown, value: unknown) => unknown, c)], options);
}

function scanStage<T, A>(f: (acc: A, value: T) => A, seed: A): Stage<T, A> {
  return {
    kind: 'cspflow.stage',
    name: 'scan',
    step: (next) => {
      let acc = seed;
      return {
        push: (value) => {
          const got = f(acc, value);
          if (isThenable(got)) throw promiseInSyncStage('scan');
          acc = got;
          next.push(acc);
        },
        end: () => next.end(),
        expire: () => next.expire(),
      };
    },
  };
}
