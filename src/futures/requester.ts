/**
 * The seams between the calls a user makes (submit, map) and where their tasks go. A Requester
 * takes items of a task for a Sink and brings each item's outcome back to it. On the main thread
 * the requester is the pool's dispatcher itself; inside a task body it is the farm worker's
 * channel to the dispatcher (nested tasks).
 */
import type { ErrorRecord } from './task-error.js';

/** Where outcomes of items go: a part of a map, a batch of futures, a forwarded nested batch. */
export interface Sink {
  /** True once its outcomes are no longer wanted: queued items are dropped, sent ones cancelled. */
  readonly dead: boolean;
  /** The farm worker whose own queue these items were shared from, if any (its chunks say so). */
  readonly sharedBy?: number;
  /** Values for consecutive positions `from`, `from + 1`, … */
  values(from: number, values: readonly unknown[]): void;
  value(pos: number, value: unknown): void;
  failed(pos: number, error: ErrorRecord): void;
  /** The item at `pos` was cancelled before it started. */
  cancelled(pos: number): void;
}

/** Items handed to a requester, for withdrawing one before it is sent. */
export interface Enqueued {
  /** Withdraws the item at `pos` if it has not been sent yet; true if it was. */
  withdraw(pos: number): boolean;
}

export interface Requester {
  /** Names of the tasks it can run. */
  readonly tasks: readonly string[];
  /**
   * Queues `items` of task `task` for `sink` (they are the sink's positions 0..n-1). `spread` 1:
   * each item is an argument list. `chunk`: the items per message, if the caller fixed it.
   */
  enqueue(task: string, items: readonly unknown[], spread: 0 | 1, sink: Sink, chunk: number | undefined): Enqueued;
  /** `sink` (now dead) wants nothing more: drop what is queued, cancel what was sent. */
  drop(sink: Sink): void;
}

/** A running task body that submits tasks: while any of them is unsettled it is parked (see farm.ts). */
export interface Owner {
  childStarted(): void;
  childSettled(): void;
}
