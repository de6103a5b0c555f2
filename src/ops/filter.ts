/**
 * `filter`: only the values for which p(v) is truthy.   a--b--c--|  →  a-----c--|  (p(b) false)
 * `filter(p)` is a stage (for pipeline); `filter(reader, p, options?)` runs it.
 */
import type { Reader } from '../core/ends.js';
import { expectFunction, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import { isThenable, promiseInSyncStage, type Stage } from './stage.js';

export function filter<T, S extends T>(p: (value: T) => value is S): Stage<T, S>;
export function filter<T>(p: (value: T) => unknown): Stage<T, T>;
export function filter<T, S extends T>(reader: Reader<T>, p: (value: T) => value is S, options: IntoOptions<S>): Promise<void>;
export function filter<T, S extends T>(reader: Reader<T>, p: (value: T) => value is S, options?: OutputOptions): Reader<S>;
export function filter<T>(reader: Reader<T>, p: (value: T) => unknown, options: IntoOptions<T>): Promise<void>;
export function filter<T>(reader: Reader<T>, p: (value: T) => unknown, options?: OutputOptions): Reader<T>;
export function filter(a: unknown, p?: unknown, options?: OperatorOptions<unknown>): unknown {
  if (!isReader(a)) {
    expectFunction('filter(p)', 'p', a);
    return filterStage(a as (value: unknown) => unknown);
  }
  expectFunction('filter(reader, p)', 'p', p);
  return runStages('filter', a, [filterStage(p as (value: unknown) => unknown)], options);
}

function filterStage<T>(p: (value: T) => unknown): Stage<T, T> {
  return {
    kind: 'cspflow.stage',
    name: 'filter',
    each: (value) => {
      const keep = p(value);
      return isThenable(keep) ? Promise.resolve(keep).then((k) => (k ? [value] : [])) : keep ? [value] : [];
    },
    step: (next) => ({
      push: (value) => {
        const keep = p(value);
        if (isThenable(keep)) throw promiseInSyncStage('filter');
        if (keep) next.push(value);
      },
      end: () => next.end(),
      expire: () => next.expire(),
    }),
  };
}
