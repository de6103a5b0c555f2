/**
 * A Future: a promise for one task's result, with `status` and `cancel()`. As in Python's
 * concurrent.futures, cancelling succeeds only while the task has not started — here, while it has
 * not left this thread (it waits in the pool's queue); once sent, the task runs and the future
 * settles as usual.
 *
 * A future is a plain Promise with these members added, not a subclass: Promise.all and await
 * take V8's fast path only for plain promises (measured while building this: `Promise.all` over
 * 10⁵ subclass instances took several times as long as over plain promises).
 *
 * Invariants:
 * - `status` moves from 'pending' to exactly one of 'fulfilled', 'rejected', 'cancelled';
 * - a cancelled future is rejected with a CancelledError that counts as handled (no
 *   unhandled-rejection report for a future someone chose to cancel).
 */
import { CancelledError } from './errors.js';

/** Whatever holds a future's task until it leaves: it says whether the task at `pos` can still be withdrawn. */
export interface Withdrawable {
  /** Withdraws the task at `pos` if it has not been sent; true if it was withdrawn. */
  withdraw(pos: number): boolean;
}

export type FutureStatus = 'pending' | 'fulfilled' | 'rejected' | 'cancelled';

/** What a user holds: a promise with a status and `cancel()`. */
export interface Future<T> extends Promise<T> {
  readonly status: FutureStatus;
  /** Cancels the task if it has not left this thread; true if it was cancelled (the future then rejects with CancelledError). */
  cancel(reason?: unknown): boolean;
}

/** A future as this package holds it. */
export interface TaskFuture<T> extends Future<T> {
  status: FutureStatus;
  resolveWith: (value: T) => void;
  rejectWith: (error: unknown) => void;
  holder: Withdrawable | null;
  pos: number;
  task: string;
}

function cancel(this: TaskFuture<unknown>, reason?: unknown): boolean {
  if (this.status !== 'pending' || this.holder === null || !this.holder.withdraw(this.pos)) return false;
  cancelFuture(this, reason);
  return true;
}

/** The resolving functions of the promise made last (one executor for all: no closure per future). */
let lastResolve: (value: never) => void = () => {};
let lastReject: (error: unknown) => void = () => {};
const capture = (resolve: (value: never) => void, reject: (error: unknown) => void): void => {
  lastResolve = resolve;
  lastReject = reject;
};

/** A pending future for a task of `task`. */
export function newFuture<T>(task: string): TaskFuture<T> {
  const future = new Promise<T>(capture as (resolve: (value: T) => void, reject: (error: unknown) => void) => void) as TaskFuture<T>;
  future.status = 'pending';
  future.resolveWith = lastResolve as (value: T) => void;
  future.rejectWith = lastReject;
  future.holder = null;
  future.pos = 0;
  future.task = task;
  future.cancel = cancel;
  return future;
}

/** Says who can withdraw the future's task, and where. */
export function holdFuture<T>(future: TaskFuture<T>, holder: Withdrawable | null, pos: number): void {
  future.holder = holder;
  future.pos = pos;
}

export function resolveFuture<T>(future: TaskFuture<T>, value: T): void {
  if (future.status !== 'pending') return;
  future.status = 'fulfilled';
  future.holder = null;
  future.resolveWith(value);
}

export function rejectFuture<T>(future: TaskFuture<T>, error: unknown): void {
  if (future.status !== 'pending') return;
  future.status = 'rejected';
  future.holder = null;
  future.rejectWith(error);
}

/** Settles as cancelled (the caller has already withdrawn the task). */
export function cancelFuture<T>(future: TaskFuture<T>, reason?: unknown): void {
  if (future.status !== 'pending') return;
  future.status = 'cancelled';
  future.holder = null;
  future.catch(() => {});
  future.rejectWith(new CancelledError(future.task, reason));
}
