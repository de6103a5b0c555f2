/**
 * map, mapIterable, mapUnordered and mapReduce without a pool: each starts a pool on
 * `options.runtime` (default local()) for its task (and `options.tasks`, for nested ones), runs,
 * and closes it. Starting workers per call is slow on threads(); for repeated calls, keep a pool.
 */
import type { MapOptions } from './map-call.js';
import { checkTask } from './task-check.js';
import { futures, type MapReduceOptions, type Pool, type PoolOptions } from './pool.js';
import type { Items } from './source.js';
import type { AnyTask, Task } from './types.js';

/** The pool's options (tasks optional: the mapped task is always one) beside the call's. */
export type OneShotOptions = MapOptions & Omit<PoolOptions, 'tasks'> & { readonly tasks?: readonly AnyTask[] };

const POOL_KEYS = new Set(['runtime', 'tasks', 'workers', 'concurrency', 'constants']);

/** Splits `options` into the pool's and the call's (unknown keys stay with the call, which refuses them). */
function split(task: unknown, options: object | undefined): [PoolOptions, Record<string, unknown> | undefined] {
  const pool: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options ?? {})) (POOL_KEYS.has(k) ? pool : rest)[k] = v;
  const more = Array.isArray(pool['tasks']) ? (pool['tasks'] as AnyTask[]) : [];
  pool['tasks'] = [task, ...more];
  return [pool as unknown as PoolOptions, options === undefined ? undefined : rest];
}

/** Runs `use` on a fresh pool, then closes it; a failure of `use` wins over one of close. */
async function withPool<T>(options: PoolOptions, use: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = futures(options);
  let result: T;
  try {
    result = await use(pool);
  } catch (error) {
    await pool.close().catch(() => {});
    throw error;
  }
  await pool.close();
  return result;
}

async function* streamed<R>(options: PoolOptions, open: (pool: Pool) => AsyncIterable<R>): AsyncGenerator<R> {
  const pool = futures(options);
  let failed = false;
  try {
    yield* open(pool);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (failed) await pool.close().catch(() => {});
    else await pool.close();
  }
}

export function map<I, R>(task: Task<[I], R>, items: Items<I>, options?: OneShotOptions): Promise<R[]> {
  try {
    const [poolOptions, rest] = split(task, options);
    return withPool(poolOptions, (pool) => pool.map(task, items, rest));
  } catch (error) {
    return Promise.reject(error);
  }
}

export function mapIterable<I, R>(task: Task<[I], R>, items: Items<I>, options?: OneShotOptions): AsyncIterable<R> {
  checkTask('mapIterable(task, items, options)', 'task', task);
  const [poolOptions, rest] = split(task, options);
  return streamed(poolOptions, (pool) => pool.mapIterable(task, items, rest));
}

export function mapUnordered<I, R>(task: Task<[I], R>, items: Items<I>, options?: OneShotOptions): AsyncIterable<R> {
  checkTask('mapUnordered(task, items, options)', 'task', task);
  const [poolOptions, rest] = split(task, options);
  return streamed(poolOptions, (pool) => pool.mapUnordered(task, items, rest));
}

export function mapReduce<I, R, A = R>(
  task: Task<[I], R>,
  reduce: (accumulator: A, value: R) => A,
  items: Items<I>,
  options?: MapReduceOptions<A> & Omit<PoolOptions, 'tasks'> & { readonly tasks?: readonly AnyTask[] },
): Promise<A> {
  try {
    const [poolOptions, rest] = split(task, options);
    return withPool(poolOptions, (pool) => pool.mapReduce(task, reduce, items, rest as MapReduceOptions<A>));
  } catch (error) {
    return Promise.reject(error);
  }
}

