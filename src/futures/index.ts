/**
 * cspflow/futures: SCOOP- and Celery-style futures over any cspflow runtime. Define tasks with
 * `task(name, fn)` in a module; start a pool with `futures({ runtime, tasks })`; then `submit`,
 * `map`, `mapIterable`, `mapUnordered`, `mapReduce` — in one thread, on worker threads, or
 * wherever the runtime puts its workers. See docs/futures.md.
 */
export { task } from './task.js';
export type { Task, TaskContext, AnyTask } from './types.js';
export { futures, type Pool, type PoolOptions, type MapReduceOptions } from './pool.js';
export { map, mapIterable, mapUnordered, mapReduce, type OneShotOptions } from './one-shot.js';
export type { MapOptions } from './map-call.js';
export type { Items } from './source.js';
export type { Future, FutureStatus } from './future.js';
export { gather, wait, asCompleted, type WaitOptions, type WaitResult, type Completed } from './helpers.js';
export { CancelledError, PoolClosedError, PoolFailedError, UnknownTaskError, UnknownSharedError, FarmProtocolError } from './errors.js';
