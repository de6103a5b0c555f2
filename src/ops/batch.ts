/**
 * `batch`: arrays of up to n values. A batch leaves when it is full, when the input ends (the
 * last, partial batch), or — with `maxWaitMs` — that long after its first value arrived.
 *   a-b-c-d-e-|  →  [a,b]-[c,d]-[e]|   (n = 2)
 * `batch(n, { maxWaitMs })` is a stage (for pipeline); `batch(reader, n, options?)` runs it.
 * Time comes from the injected scheduler (virtual under cspflow/testing).
 */
import type { Reader } from '../core/ends.js';
import { expectInteger, expectMs, expectOptions, isReader } from './check.js';
import type { IntoOptions, OperatorOptions, OutputOptions } from './operator.js';
import { runStages } from './pipeline.js';
import type { Stage } from './stage.js';

export interface BatchStageOptions {
  /** A partial batch leaves this long after its first value arrived (ms, > 0). Default: only when full or at the end. */
  readonly maxWaitMs?: number;
}

export interface BatchOptions extends BatchStageOptions, OutputOptions {}

export function batch<T>(n: number, options?: BatchStageOptions): Stage<T, T[]>;
export function batch<T>(reader: Reader<T>, n: number, options: BatchStageOptions & IntoOptions<T[]>): Promise<void>;
export function batch<T>(reader: Reader<T>, n: number, options?: BatchOptions): Reader<T[]>;
export function batch(a: unknown, b?: unknown, c?: unknown): unknown {
  if (!isReader(a)) return batchStage('batch(n, options)', a, b as BatchStageOptions | undefined);
  const options = c as (BatchOptions & OperatorOptions<unknown>) | undefined;
  return runStages('batch', a, [batchStage('batch(reader, n, options)', b, options)], options);
}

function batchStage<T>(where: string, n: unknown, options: BatchStageOptions | undefined): Stage<T, T[]> {
  expectInteger(where, 'n', n, 1);
  expectOptions(where, options);
  const size = n as number;
  const maxWaitMs = options?.maxWaitMs;
  if (maxWaitMs !== undefined) expectMs(where, 'options.maxWaitMs', maxWaitMs, Number.MIN_VALUE);
  return {
    kind: 'cspflow.stage',
    name: 'batch',
    step: (next, context) => {
      let held: T[] = [];
      const flush = (): void => {
        const full = held;
        held = [];
        if (maxWaitMs !== undefined) context.disarm();
        next.push(full);
      };
      return {
        push: (value) => {
          held.push(value);
          if (held.length === 1 && maxWaitMs !== undefined) context.arm(maxWaitMs);
          if (held.length === size) flush();
        },
        end: () => {
          if (held.length > 0) flush();
          next.end();
        },
        expire: () => {
          if (held.length > 0) flush();
          next.expire();
        },
      };
    },
  };
}
