/**
 * A task body's `this`: one per item run. It lets the body submit and map tasks (nested), read
 * shared constants and watch for cancellation — and it is how the farm worker knows the item is
 * waiting on tasks it submitted (parked) rather than running.
 *
 * Invariants:
 * - outstanding = tasks and maps this item started that have not settled;
 * - counted is true exactly while the item runs asynchronously with nothing outstanding: it is
 *   then one of its farm worker's `active` items;
 * - once finished, every child still outstanding has been told to the host as an orphan, and is
 *   told again (-1) as it settles.
 */
import { checkTask } from './task-check.js';
import { UnknownSharedError } from './errors.js';
import type { Future } from './future.js';
import { MapCall, type MapOptions } from './map-call.js';
import type { Owner, Requester } from './requester.js';
import { sourceOf, type Items } from './source.js';
import type { Submitter } from './submitter.js';
import type { Task, TaskContext } from './types.js';
import type { Abortable } from './chunk-report.js';
import { mapOptions } from './map-options.js';

/** What an item's context needs from its farm worker. */
export interface FarmHost {
  readonly taskName: string;
  readonly worker: number;
  readonly submitter: Submitter;
  readonly requester: Requester;
  readonly constants: ReadonlyMap<string, unknown>;
  /** One more (or one fewer) item counts as running. */
  count(delta: 1 | -1): void;
  /** `n` more (negative: fewer) tasks are outstanding whose submitter has finished without awaiting them. */
  orphans(n: number): void;
}

export class ItemContext implements TaskContext, Owner, Abortable {
  outstanding = 0;
  running = true;
  async = false;
  counted = false;
  private controller: AbortController | null = null;
  private abortedWith: { readonly reason: unknown } | null = null;

  constructor(private readonly host: FarmHost) {}

  get task(): string {
    return this.host.taskName;
  }

  get worker(): number {
    return this.host.worker;
  }

  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortedWith !== null) this.controller.abort(this.abortedWith.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.abortedWith !== null) return;
    this.abortedWith = { reason };
    this.controller?.abort(reason);
  }

  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<R> {
    checkTask('this.submit(task, ...args)', 'task', task);
    return this.host.submitter.submit<R>('this.submit(task, ...args)', task.taskName, args, this);
  }

  map<I, R>(task: Task<[I], R>, items: Items<I>, options?: MapOptions): Promise<R[]> {
    const call = 'this.map(task, items, options)';
    try {
      checkTask(call, 'task', task);
      const settings = mapOptions(call, options);
      const source = sourceOf(call, items);
      this.childStarted();
      const run = new MapCall<R>(this.host.requester, task.taskName, source, settings, 'array', call, () => this.childSettled());
      return run.result as Promise<R[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  shared<T = unknown>(name: string): T {
    if (!this.host.constants.has(name)) throw new UnknownSharedError(name, [...this.host.constants.keys()]);
    return this.host.constants.get(name) as T;
  }

  childStarted(): void {
    if (this.outstanding++ === 0 && this.counted) {
      this.counted = false;
      this.host.count(-1);
    }
  }

  childSettled(): void {
    if (!this.running) {
      this.outstanding--;
      this.host.orphans(-1);
      return;
    }
    if (--this.outstanding === 0 && this.async && !this.counted) {
      this.counted = true;
      this.host.count(1);
    }
  }

  /** The body returned a promise: the item now runs asynchronously. */
  startedAsync(): void {
    this.async = true;
    if (this.outstanding === 0) {
      this.counted = true;
      this.host.count(1);
    }
  }

  /** The body has settled. */
  finished(): void {
    this.running = false;
    if (this.counted) {
      this.counted = false;
      this.host.count(-1);
    }
    // Tasks it submitted and did not await: the pool must still wait for them (they may wait in
    // this farm worker's own queue, where the driver does not see them).
    if (this.outstanding > 0) this.host.orphans(this.outstanding);
  }
}
