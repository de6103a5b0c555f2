/**
 * `futures({ runtime, tasks })`: a pool — one long-running network (pool-network.ts) started once
 * on the runtime and fed through its channels — that outlives any one call, so a single task costs
 * a round trip, not a worker start. `close()` (or `await using`) waits for every call in progress,
 * then stops the network by retirement.
 *
 * Invariants:
 * - state moves open → closing → closed, or to failed from open or closing;
 * - `calls` holds every map in progress; `failure` once set is what every later call rejects with.
 */
import { local } from '../runtime/local.js';
import { start, type RunHandle } from '../runtime/run.js';
import type { Runtime } from '../runtime/runtime.js';
import { checkCarriable, checkOptionalInteger, checkOptions, invalid } from './check.js';
import { checkTask, isTask } from './task-check.js';
import { Dispatcher } from './dispatcher.js';
import { PoolClosedError, PoolFailedError } from './errors.js';
import { newFuture, rejectFuture, type Future } from './future.js';
import { MapCall, type MapMode, type MapOptions } from './map-call.js';
import { MAP_OPTIONS, mapOptions } from './map-options.js';
import { farmTasks, poolNetwork, type FarmShape } from './pool-network.js';
import { sourceOf, type Items } from './source.js';
import { Submitter } from './submitter.js';
import type { AnyTask, Task } from './types.js';

export interface PoolOptions {
  /** Where the farm workers run: `local()` (default), `threads({ size, modules })`, … */
  readonly runtime?: Runtime;
  /** Every task the pool runs, nested ones included. */
  readonly tasks: readonly AnyTask[];
  /**
   * Farm workers per task. Default: the runtime's size (the thread count of threads()); on a
   * runtime whose size is only a cap (nats()), the workers that answer when the pool starts; else 1.
   */
  readonly workers?: number;
  /** Items of one task a farm worker runs at once, items waiting on their own futures aside. Default 1. */
  readonly concurrency?: number;
  /** Constants every farm worker gets once, before any task (a task reads them with `this.shared(name)`). */
  readonly constants?: Readonly<Record<string, unknown>>;
}

/** mapReduce's options: a map's, without onError (a failure stops it), and the initial accumulator. */
export interface MapReduceOptions<A> extends Omit<MapOptions, 'onError'> {
  /** The accumulator's start; without it the first result is. */
  readonly initial?: A;
}

export interface Pool extends AsyncDisposable {
  /** The runtime's name, e.g. `threads(2)`. */
  readonly runtime: string;
  /** Runs `task(...args)`; submissions made in one turn travel together in chunks. */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R>;
  /** `task` over every item; the results in input order. */
  map<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): Promise<R[]>;
  /** As map, yielding each result in input order as soon as it and those before it are done. */
  mapIterable<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): AsyncIterable<R>;
  /** As map, yielding results as they finish. */
  mapUnordered<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): AsyncIterable<R>;
  /** `task` over every item, the results folded with `reduce` on this thread as they finish (so `reduce` must not depend on order). */
  mapReduce<I, R, A = R>(task: Task<[I], R>, reduce: (accumulator: A, value: R) => A, items: Items<I>, options?: MapReduceOptions<A>): Promise<A>;
  /** Sends a constant to every farm worker; resolves once each has it (tasks submitted after see it). */
  shared(name: string, value: unknown): Promise<void>;
  /** Waits for every call in progress, then stops the workers. Rejects if the pool had failed. */
  close(): Promise<void>;
}

const POOL_OPTIONS = ['runtime', 'tasks', 'workers', 'concurrency', 'constants'] as const;

type State = 'open' | 'closing' | 'closed' | 'failed';

class FuturesPool implements Pool {
  readonly runtime: string;
  private state: State = 'open';
  private failure: PoolFailedError | null = null;
  private readonly dispatcher: Dispatcher;
  private readonly submitter: Submitter;
  /** The pool's run once started; null if the pool failed before it could start. */
  private readonly run: Promise<RunHandle | null>;
  private readonly calls = new Set<MapCall<unknown>>();
  private callsEnded: (() => void)[] = [];
  private readonly sharedNames: Set<string>;
  private closing: Promise<void> | null = null;

  /**
   * @param sized false when `shape.workers` is a guess to be replaced by the runtime's
   *   `available()` before the network starts (calls made meanwhile wait in the queues).
   */
  constructor(runtime: Runtime, shape: FarmShape, sized: boolean) {
    this.runtime = runtime.name;
    this.sharedNames = new Set(Object.keys(shape.constants));
    const names = shape.tasks.map((t) => t.taskName);
    this.dispatcher = new Dispatcher(names, farmTasks(shape), shape.workers, (cause) => this.failed(cause));
    this.submitter = new Submitter(this.dispatcher);
    if (sized || runtime.available === undefined) this.run = Promise.resolve(this.launch(runtime, shape));
    else {
      this.run = runtime.available().then(
        (workers) => {
          if (this.failure !== null) return null;
          const known = { ...shape, workers: Math.max(1, workers) };
          this.dispatcher.resize(farmTasks(known), known.workers);
          return this.launch(runtime, known);
        },
        (cause: unknown) => {
          this.dispatcher.fail(cause);
          return null;
        },
      );
    }
  }

  private launch(runtime: Runtime, shape: FarmShape): RunHandle {
    const handle = start(poolNetwork(shape, this.dispatcher), { runtime });
    handle.done.then(
      () => {
        if (this.state === 'open') this.dispatcher.fail(new Error('the pool network ended while the pool was open'));
      },
      (error: unknown) => this.dispatcher.fail(error),
    );
    return handle;
  }

  /** The dispatcher's failure hook: every call in progress rejects with the pool's failure. */
  private failed(cause: unknown): PoolFailedError {
    const failure = cause instanceof PoolFailedError ? cause : new PoolFailedError(this.runtime, cause);
    this.failure = failure;
    if (this.state !== 'closed') this.state = 'failed';
    this.submitter.failAll(failure);
    for (const call of [...this.calls]) call.fail(failure);
    return failure;
  }

  /** Why a new call cannot be taken, or null. */
  private refusal(call: string): Error | null {
    if (this.failure !== null) return this.failure;
    if (this.state !== 'open') return new PoolClosedError(call);
    return null;
  }

  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R> {
    const call = 'pool.submit(task, ...args)';
    if (!isTask(task)) {
      const future = newFuture<R>('(not a task)');
      rejectFuture(future, invalid('type', call, 'task', task, 'a task made by task(name, fn)'));
      return future;
    }
    const refused = this.refusal(call);
    if (refused !== null) {
      const future = newFuture<R>(task.taskName);
      rejectFuture(future, refused);
      return future;
    }
    return this.submitter.submit<R>(call, task.taskName, args, null);
  }

  /** A map call of `mode`, checked and tracked; throws for bad arguments or a closed pool. */
  private start<R>(call: string, task: unknown, items: unknown, options: unknown, mode: MapMode, known: readonly string[] = MAP_OPTIONS): MapCall<R> {
    checkTask(call, 'task', task);
    const settings = mapOptions(call, options, known);
    const source = sourceOf(call, items);
    const refused = this.refusal(call);
    if (refused !== null) throw refused;
    const run: MapCall<R> = new MapCall<R>(this.dispatcher, task.taskName, source, settings, mode, call, () => this.ended(run as MapCall<unknown>));
    this.calls.add(run as MapCall<unknown>);
    return run;
  }

  private ended(run: MapCall<unknown>): void {
    this.calls.delete(run);
    if (this.calls.size === 0) for (const wake of this.callsEnded.splice(0)) wake();
  }

  map<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): Promise<R[]> {
    try {
      return this.start<R>('pool.map(task, items, options)', task, items, options, 'array').result as Promise<R[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  mapIterable<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): AsyncIterable<R> {
    return this.start<R>('pool.mapIterable(task, items, options)', task, items, options, 'ordered');
  }

  mapUnordered<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): AsyncIterable<R> {
    return this.start<R>('pool.mapUnordered(task, items, options)', task, items, options, 'unordered');
  }

  async mapReduce<I, R, A = R>(task: Task<[I], R>, reduce: (accumulator: A, value: R) => A, items: Items<I>, options?: MapReduceOptions<A>): Promise<A> {
    const call = 'pool.mapReduce(task, reduce, items, options)';
    if (typeof reduce !== 'function') throw invalid('type', call, 'reduce', reduce, 'a function (accumulator, value) => accumulator');
    const { initial, ...rest } = options ?? {};
    const seeded = options !== undefined && 'initial' in options;
    const run = this.start<R>(call, task, items, rest, 'unordered', ['chunk', 'window', 'signal']);
    let acc = initial as A;
    let has = seeded;
    for await (const value of run) {
      if (has) acc = reduce(acc, value);
      else {
        acc = value as unknown as A;
        has = true;
      }
    }
    if (!has) throw invalid('type', call, 'items', items, 'at least one item when options.initial is not given');
    return acc;
  }

  async shared(name: string, value: unknown): Promise<void> {
    const call = 'pool.shared(name, value)';
    if (typeof name !== 'string' || name.length === 0) throw invalid(typeof name === 'string' ? 'range' : 'type', call, 'name', name, 'a non-empty string');
    checkCarriable(call, 'value', value);
    const refused = this.refusal(call);
    if (refused !== null) throw refused;
    if (this.sharedNames.has(name)) throw invalid('range', call, 'name', name, 'a name not shared before', 'A shared constant is set once; share a new name.');
    this.sharedNames.add(name);
    await this.dispatcher.share(name, value);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    // Submissions of this turn are handed to the dispatcher first (a microtask queued before this one).
    await Promise.resolve();
    while (this.failure === null) {
      if (this.calls.size > 0) {
        await new Promise<void>((resolve) => this.callsEnded.push(resolve));
        continue;
      }
      await this.dispatcher.whenIdle();
      if (this.calls.size === 0 && this.dispatcher.isIdle) break;
    }
    if (this.failure === null) await this.dispatcher.shutdown();
    try {
      await (await this.run)?.done;
    } catch {
      // The failure itself is reported below.
    }
    if (this.failure !== null) throw this.failure;
    this.state = 'closed';
  }
}

/** Starts a pool of farm workers for `options.tasks` on `options.runtime` (default local()). */
export function futures(options: PoolOptions): Pool {
  const call = 'futures(options)';
  if (options === undefined) throw invalid('type', call, 'options', options, 'an object with tasks (and runtime, workers, concurrency, constants)');
  checkOptions(call, options, POOL_OPTIONS);
  const runtime = options.runtime ?? local();
  if (typeof runtime !== 'object' || runtime === null || typeof runtime.execute !== 'function') {
    throw invalid('type', call, 'options.runtime', runtime, 'a runtime: local(), threads({ size, modules }), … (or left out for local())');
  }
  if (!Array.isArray(options.tasks) || options.tasks.length === 0) throw invalid('type', call, 'options.tasks', options.tasks, 'a non-empty array of tasks made by task(name, fn)');
  const tasks: AnyTask[] = [];
  const byName = new Map<string, AnyTask>();
  options.tasks.forEach((t, i) => {
    checkTask(call, `options.tasks[${i}]`, t);
    const known = byName.get(t.taskName);
    if (known === t) return;
    if (known !== undefined) throw invalid('range', call, `options.tasks[${i}]`, t.taskName, 'tasks with different names', `Two different tasks are named "${t.taskName}".`);
    byName.set(t.taskName, t);
    tasks.push(t);
  });
  checkOptionalInteger(call, 'options.workers', options.workers, 1);
  checkOptionalInteger(call, 'options.concurrency', options.concurrency, 1);
  const constants = options.constants ?? {};
  if (typeof constants !== 'object' || constants === null || Array.isArray(constants)) throw invalid('type', call, 'options.constants', constants, 'an object of name → value');
  for (const [name, value] of Object.entries(constants)) checkCarriable(call, `options.constants.${name}`, value);
  const workers = options.workers ?? runtime.size ?? 1;
  return new FuturesPool(runtime, { tasks, workers, concurrency: options.concurrency ?? 1, constants }, options.workers !== undefined);
}
