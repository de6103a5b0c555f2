/**
 * `window`: sliding windows of `size` consecutive values, one every `step` values (default 1);
 * only full windows leave (an input shorter than `size` gives none).
 *   a-b-c-d-|  →  [a,b,c]-[b,c,d]-|   (size 3, step 1)
 * Equivalent on arrays: xs.slice(i, i + size) for i = 0, step, 2·step, … while i + size <= xs.length.
 * `window(size, step?)` is a stage (for pipeline); `window(reader, size, step?, options?)` runs it.
 */
import type { Reader } from '../core/ends.js';
import { expectInteger, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import type { Stage } from './stage.js';

export function window<T>(size: number, step?: number): Stage<T, T[]>;
export function window<T>(reader: Reader<T>, size: number, step: number | undefined, options: IntoOptions<T[]>): Promise<void>;
export function window<T>(reader: Reader<T>, size: number, step?: number, options?: OutputOptions): Reader<T[]>;
export function window(a: unknown, b?: unknown, c?: unknown, options?: OperatorOptions<never>): unknown {
  if (!isReader(a)) return windowStage('window(size, step)', a, b ?? 1);
  return runStages('window', a, [windowStage('window(reader, size, step)', b, c ?? 1)], options);
}

function windowStage<T>(where: string, size: unknown, step: unknown): Stage<T, T[]> {
  expectInteger(where, 'size', size, 1);
  expectInteger(where, 'step', step, 1);
  const n = size as number;
  const every = step as number;
  return {
    kind: 'cspflow.stage',
    name: 'window',
    step: (next) => {
      let held: T[] = [];
      let skip = 0;
      return {
        push: (value) => {
          if (skip > 0) {
            skip--;
            return;
          }
          held.push(value);
          if (held.length < n) return;
          next.push(held.slice());
          if (every <= n) held.splice(0, every);
          else {
            held = [];
            skip = every - n;
          }
        },
        end: () => next.end(),
        expire: () => next.expire(),
      };
    },
  };
}
