/**
 * `pipeline(reader, ...stages, options?)`: stages in one process. Synchronous stages are fused
 * into one loop (fuse.ts): a chain of map → filter → batch costs one channel hop. With
 * `{ concurrency: n }` it is core.async's pipeline instead: each value goes through the stages
 * on its own, n values at a time, awaiting the promises their functions return; results leave in
 * input order, or as they complete with `ordered: false` (concurrent.ts). Only per-value stages
 * (map, filter, unbatch) can run that way.
 */
import type { Reader } from '../core/ends.js';
import { currentRuntime } from '../core/runtime.js';
import { expectInteger, expectReader } from './check.js';
import { concurrentBody } from './concurrent.js';
import { fusedBody } from './fuse.js';
import { launchOne, leave, outputOf, result, type IntoOptions, type OperatorOptions, type OutputOptions } from './operator.js';
import { isStage, isThenable, type Stage } from './stage.js';

/** How the stages run. */
export interface Concurrency {
  /** Run the stages per value, this many values at a time (>= 1), awaiting their promises. Default: fused, synchronous. */
  readonly concurrency?: number;
  /** With concurrency: results in input order (default true) or as they complete. */
  readonly ordered?: boolean;
}

export interface PipelineOutputOptions extends Concurrency, OutputOptions {}
export interface PipelineIntoOptions<U> extends Concurrency, IntoOptions<U> {}
/** Every option of pipeline (the implementation's view). */
export interface PipelineOptions<U> extends Concurrency, OperatorOptions<U> {}

type AnyStage = Stage<never, unknown>;

export function pipeline<T, A>(reader: Reader<T>, s1: Stage<T, A>, options: PipelineIntoOptions<A>): Promise<void>;
export function pipeline<T, A>(reader: Reader<T>, s1: Stage<T, A>, options?: PipelineOutputOptions): Reader<A>;
export function pipeline<T, A, B>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, options: PipelineIntoOptions<B>): Promise<void>;
export function pipeline<T, A, B>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, options?: PipelineOutputOptions): Reader<B>;
export function pipeline<T, A, B, C>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, options: PipelineIntoOptions<C>): Promise<void>;
export function pipeline<T, A, B, C>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, options?: PipelineOutputOptions): Reader<C>;
export function pipeline<T, A, B, C, D>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, options: PipelineIntoOptions<D>): Promise<void>;
export function pipeline<T, A, B, C, D>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, options?: PipelineOutputOptions): Reader<D>;
export function pipeline<T, A, B, C, D, E>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, s5: Stage<D, E>, options: PipelineIntoOptions<E>): Promise<void>;
export function pipeline<T, A, B, C, D, E>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, s5: Stage<D, E>, options?: PipelineOutputOptions): Reader<E>;
export function pipeline<T, A, B, C, D, E, F>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, s5: Stage<D, E>, s6: Stage<E, F>, options: PipelineIntoOptions<F>): Promise<void>;
export function pipeline<T, A, B, C, D, E, F>(reader: Reader<T>, s1: Stage<T, A>, s2: Stage<A, B>, s3: Stage<B, C>, s4: Stage<C, D>, s5: Stage<D, E>, s6: Stage<E, F>, options?: PipelineOutputOptions): Reader<F>;
/** Any number of stages, untyped between them. */
export function pipeline(reader: Reader<unknown>, ...stagesAndOptions: readonly (AnyStage | PipelineOptions<unknown> | undefined)[]): Reader<unknown> | Promise<void>;
export function pipeline(reader: Reader<unknown>, ...rest: readonly unknown[]): Reader<unknown> | Promise<void> {
  const last = rest[rest.length - 1];
  const hasOptions = rest.length > 0 && !isStage(last) && typeof last !== 'function';
  const stages = (hasOptions ? rest.slice(0, -1) : rest) as AnyStage[];
  return runStages('pipeline', reader, stages, (hasOptions ? last : undefined) as PipelineOptions<unknown> | undefined);
}

/** Runs `stages` over `reader` as one operator process; what every stage operator's reader form calls. */
export function runStages<U>(where: string, reader: Reader<unknown>, stages: readonly AnyStage[], options: PipelineOptions<U> | undefined): Reader<U> | Promise<void> {
  expectReader(where, 'reader', reader);
  if (stages.length === 0) throw new TypeError(`${where}: give at least one stage (map(f), filter(p), batch(n), …)`);
  stages.forEach((s, i) => {
    if (!isStage(s)) throw new TypeError(`${where}: stage ${i + 1} must be a stage such as map(f) or filter(p), got ${typeof s === 'function' ? 'a function' : String(s)}`);
  });
  const name = stages.length === 1 ? (stages[0] as AnyStage).name : `pipeline(${stages.map((s) => s.name).join(',')})`;
  const { writer, reader: made } = outputOf<U>(where, name, reader.channelName, options);
  const concurrency = options?.concurrency;
  let done: Promise<void>;
  if (concurrency === undefined) {
    done = launchOne(name, [reader], [writer], fusedBody(reader, writer, stages as readonly Stage<unknown, unknown>[], currentRuntime().scheduler));
  } else {
    expectInteger(where, 'options.concurrency', concurrency, 1);
    const each = perValue<U>(where, stages);
    const ordered = options?.ordered ?? true;
    const stop = (error: unknown): void => leave([reader], [writer], error);
    done = launchOne(name, [reader], [writer], concurrentBody(reader, writer, each, concurrency, ordered, stop));
  }
  return result<U>(made, done);
}

/** The stages composed per value (each may be async); refuses stages that keep state across values. */
function perValue<U>(where: string, stages: readonly AnyStage[]): (value: unknown) => Promise<readonly U[]> {
  const steps = stages.map((s) => {
    if (s.each === undefined) throw new RangeError(`${where}: with concurrency every stage must treat each value on its own (map, filter, unbatch); "${s.name}" keeps state across values`);
    return s.each as (value: unknown) => readonly unknown[] | Promise<readonly unknown[]>;
  });
  return async (value) => {
    let values: readonly unknown[] = [value];
    for (const step of steps) {
      const next: unknown[] = [];
      for (const v of values) {
        const got = step(v);
        const outs = isThenable(got) ? await got : got;
        for (const o of outs) next.push(o);
      }
      values = next;
    }
    return values as readonly U[];
  };
}
