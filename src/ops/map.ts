/**
 * `map`: every value v becomes f(v).   a--b--c--|  →  f(a)--f(b)--f(c)--|
 * `map(f)` is a stage (for pipeline); `map(reader, f, options?)` runs it (see operator.ts).
 */
import type { Reader } from '../core/ends.js';
import { expectFunction, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import { isThenable, promiseInSyncStage, type Stage } from './stage.js';

export function map<T, U>(f: (value: T) => U): Stage<T, Awaited<U>>;
export function map<T, U>(reader: Reader<T>, f: (value: T) => U, options: IntoOptions<U>): Promise<void>;
export function map<T, U>(reader: Reader<T>, f: (value: T) => U, options?: OutputOptions): Reader<U>;
export function map(a: unknown, f?: unknown, options?: OperatorOptions<unknown>): unknown {
  if (!isReader(a)) {
    expectFunction('map(f)', 'f', a);
    return mapStage(a as (value: unknown) => unknown);
  }
  expectFunction('map(reader, f)', 'f', f);
  return runStages('map', a, [mapStage(f as (value: unknown) => unknown)], options);
}

function mapStage<T, U>(f: (value: T) => U): Stage<T, U> {
  return {
    kind: 'cspflow.stage',
    name: 'map',
    each: (value) => {
      const got = f(value);
      return isThenable(got) ? Promise.resolve(got).then((v) => [v as U]) : [got];
    },
    step: (next) => ({
      push: (value) => {
        const got = f(value);
        if (isThenable(got)) throw promiseInSyncStage('map');
        next.push(got);
      },
      end: () => next.end(),
      expire: () => next.expire(),
    }),
  };
}
