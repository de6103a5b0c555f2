/**
 * `submit`: one future per call, and automatic batching — every submission of one task made in
 * the same turn (before the next microtask) is handed to the requester as one batch, which the
 * dispatcher cuts into chunks. So `Promise.all(items.map((x) => pool.submit(t, x)))` travels as
 * `map` does, in chunks, not one message per task.
 *
 * Invariants:
 * - a submission is in exactly one place: `pending` (this turn) or a SubmitBatch;
 * - each owner's childSettled is called once per childStarted.
 */
import { checkCarriable } from './check.js';
import { UnknownTaskError } from './errors.js';
import { cancelFuture, holdFuture, newFuture, rejectFuture, resolveFuture, type TaskFuture, type Withdrawable } from './future.js';
import type { Enqueued, Owner, Requester, Sink } from './requester.js';
import { fromRecord, type ErrorRecord } from './task-error.js';

/** The submissions of one task in this turn, by position. */
class Pending implements Withdrawable {
  /** The argument, or the argument list for a call with other than one argument (see `lists`). */
  readonly inputs: unknown[] = [];
  readonly futures: TaskFuture<unknown>[] = [];
  /** Owners by position, once any submission had one. */
  owners: (Owner | null)[] | null = null;
  /** Positions whose input is an argument list, once any is. */
  lists: Set<number> | null = null;
  withdrawn = 0;

  withdraw(pos: number): boolean {
    this.withdrawn++;
    this.owners?.[pos]?.childSettled();
    return true;
  }
}

/** The futures of one batch, by position; the sink their outcomes come to. */
class SubmitBatch implements Sink, Withdrawable {
  readonly dead = false;
  enqueued: Enqueued | null = null;
  private left: number;

  constructor(
    private readonly futures: readonly TaskFuture<unknown>[],
    private readonly owners: readonly (Owner | null)[] | null,
    private readonly onSettled: (batch: SubmitBatch) => void,
  ) {
    this.left = futures.length;
  }

  private done(pos: number): void {
    if (this.owners !== null) this.owners[pos]?.childSettled();
    if (--this.left === 0) this.onSettled(this);
  }

  values(from: number, values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) this.value(from + i, values[i]);
  }

  value(pos: number, value: unknown): void {
    const f = this.futures[pos] as TaskFuture<unknown>;
    if (f.status !== 'pending') return;
    resolveFuture(f, value);
    this.done(pos);
  }

  failed(pos: number, error: ErrorRecord): void {
    const f = this.futures[pos] as TaskFuture<unknown>;
    if (f.status !== 'pending') return;
    rejectFuture(f, fromRecord(error));
    this.done(pos);
  }

  cancelled(pos: number): void {
    const f = this.futures[pos] as TaskFuture<unknown>;
    if (f.status !== 'pending') return;
    cancelFuture(f);
    this.done(pos);
  }

  withdraw(pos: number): boolean {
    if (this.enqueued === null || !this.enqueued.withdraw(pos)) return false;
    this.done(pos);
    return true;
  }

  /** Rejects every future still pending with `error` (the pool failed). */
  failAll(error: unknown): void {
    for (let pos = 0; pos < this.futures.length; pos++) {
      const f = this.futures[pos] as TaskFuture<unknown>;
      if (f.status !== 'pending') continue;
      rejectFuture(f, error);
      this.done(pos);
    }
  }
}

export class Submitter {
  private pending = new Map<string, Pending>();
  private flushQueued = false;
  /** Batches whose futures may still be pending (to fail them if the pool fails). */
  private readonly batches = new Set<SubmitBatch>();

  constructor(private readonly requester: Requester) {}

  /** A future for task `task` run with `args`; `owner` is the task body submitting it, if any. */
  submit<R>(call: string, task: string, args: readonly unknown[], owner: Owner | null): TaskFuture<R> {
    const future = newFuture<R>(task);
    if (!this.requester.tasks.includes(task)) {
      rejectFuture(future, new UnknownTaskError(task, this.requester.tasks));
      return future;
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== 'object' && typeof arg !== 'function' && typeof arg !== 'symbol') continue;
      try {
        checkCarriable(call, `argument ${i + 1}`, arg);
      } catch (error) {
        rejectFuture(future, error);
        return future;
      }
    }
    let group = this.pending.get(task);
    if (group === undefined) this.pending.set(task, (group = new Pending()));
    const pos = group.futures.length;
    holdFuture(future, group, pos);
    group.futures.push(future as TaskFuture<unknown>);
    if (args.length === 1) group.inputs.push(args[0]);
    else {
      group.inputs.push(args);
      (group.lists ??= new Set()).add(pos);
    }
    if (owner !== null) {
      group.owners ??= new Array<Owner | null>(pos).fill(null);
      owner.childStarted();
    }
    if (group.owners !== null) group.owners.push(owner);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    return future;
  }

  /** Hands this turn's submissions to the requester, one batch per task. */
  private readonly flush = (): void => {
    this.flushQueued = false;
    const groups = this.pending;
    this.pending = new Map();
    for (const [task, group] of groups) {
      let { inputs, futures, owners } = group;
      if (group.withdrawn > 0) {
        const keep = futures.map((f) => f.status === 'pending');
        inputs = inputs.filter((_, p) => keep[p]);
        futures = futures.filter((_, p) => keep[p]);
        owners = owners?.filter((_, p) => keep[p]) ?? null;
        if (group.lists !== null) group.lists = new Set([...group.lists].filter((p) => keep[p]).map((p) => keep.slice(0, p).filter(Boolean).length));
      }
      if (futures.length === 0) continue;
      const lists = group.lists;
      const items = lists === null ? inputs : inputs.map((x, p) => (lists.has(p) ? x : [x]));
      const batch = new SubmitBatch(futures, owners, this.settled);
      for (let p = 0; p < futures.length; p++) holdFuture(futures[p] as TaskFuture<unknown>, batch, p);
      this.batches.add(batch);
      batch.enqueued = this.requester.enqueue(task, items, lists === null ? 0 : 1, batch, undefined);
    }
  };

  private readonly settled = (batch: SubmitBatch): void => {
    this.batches.delete(batch);
  };

  /** Rejects every pending future with `error`. */
  failAll(error: unknown): void {
    for (const group of this.pending.values()) {
      group.futures.forEach((f, p) => {
        if (f.status !== 'pending') return;
        rejectFuture(f, error);
        group.owners?.[p]?.childSettled();
      });
    }
    this.pending.clear();
    for (const batch of [...this.batches]) batch.failAll(error);
  }
}
