/** The types a task author sees: Task, and TaskContext (a task body's `this`). */
import type { Reader, Writer } from '../core/ends.js';
import type { ProcessFactory } from '../core/process.js';
import type { Future } from './future.js';
import type { MapOptions } from './map-call.js';
import type { BackMessage, ControlMessage, JobChunk } from './messages.js';
import type { Items } from './source.js';

/** What a task body gets as `this` (write it as `function`, not an arrow, to use it). */
export interface TaskContext {
  /** The task's name. */
  readonly task: string;
  /** Which of the task's farm workers runs it (0-based). */
  readonly worker: number;
  /** Aborted when this item's map is aborted or fails while the item runs (cooperative cancel). */
  readonly signal: AbortSignal;
  /** Submits a task from inside a task (nested); this item counts as waiting, not running, until it settles. */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R>;
  /** Maps a task from inside a task (nested). */
  map<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): Promise<R[]>;
  /** A constant shared with every worker (futures({ constants }) or pool.shared); throws UnknownSharedError if unset. */
  shared<T = unknown>(name: string): T;
}

/** The arguments the pool gives a farm worker: its channels and its setup. */
export type FarmArgs = [jobs: Reader<JobChunk>, back: Writer<BackMessage>, control: Reader<ControlMessage>, setup: FarmSetup];

/** What a farm worker is told when it starts. */
export interface FarmSetup {
  /** Its index among all the pool's farm workers (the control channel it reads). */
  readonly id: number;
  /** Its index among its task's farm workers. */
  readonly worker: number;
  /** How many farm workers its task has (itself included). */
  readonly peers: number;
  /** The names of the pool's tasks (what a task body may submit). */
  readonly tasks: readonly string[];
  /** Items of this task that may run at once in this farm worker, waiting ones aside. */
  readonly concurrency: number;
  readonly constants: Readonly<Record<string, unknown>>;
}

/**
 * A task: `fn` under a stable name, defined in a module workers load. It is also the process
 * factory of its farm worker (`processName` is `task.<name>`), which is how every runtime finds it.
 */
export interface Task<A extends unknown[], R> extends ProcessFactory<FarmArgs> {
  readonly taskName: string;
  readonly fn: (this: TaskContext, ...args: A) => R | PromiseLike<R>;
}

/** A task of any signature (what a pool's `tasks` holds). */
export type AnyTask = Task<any[], any>;
