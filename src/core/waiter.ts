/**
 * A pending operation, and the queue it waits in.
 *
 * A Waiter is the node of an intrusive doubly-linked WaitQueue, so withdrawing it (abort, an alt
 * committing elsewhere) is O(1). A plain read or write owns its waiter alone (`choice === null`);
 * the waiters of one `alt` share one Choice, the commit-once flag (core.async's alt-flag).
 *
 * Invariants:
 * - a waiter is in at most one queue, and `queue` names it (null when not queued);
 * - a waiter in a queue is live: its choice, if any, has not committed;
 * - once `Choice.committed` is true no waiter of that choice is in any queue;
 * - a waiter whose choice is `tentative` is never completed by its channel: lookups pass over it
 *   and poke its choice, which commits (if its arbiter elsewhere agrees) with a try-operation.
 *   The channel's own invariants (channel-core.ts) speak of the waiters that are not tentative.
 * - `end.queued` counts the queued waiters of `end`, so finding them costs nothing when there are
 *   none (most ends, most of the time) and no walk of a long queue when there is one;
 * - a waiter out of every queue holds no value, resolving function or abort listener (`leave`
 *   drops them): a plain operation's waiter kept as its end's spare (`end.lastQueued`) keeps
 *   nothing of the operation it served alive.
 * - a plain operation's waiter keeps its promise's `resolve` only, never its reject function: the
 *   operation fails by resolving with a `Rejection` (one microtask later than a reject would), so
 *   a blocked operation does not keep a second closure alive (see `Rejection`).
 */
import type { Blocking, HeldEnd, WatchedChannel } from './process-record.js';

/** The commit-once flag of an alt, and how to settle it. */
export interface Choice extends Blocking {
  readonly committed: boolean;
  /** Commits this choice and withdraws every other waiter of it; false if it had already committed. */
  claim(winner: Waiter | null): boolean;
  /** Settles the alt as won by guard `index` with `value` (a read's value, or undefined). */
  settle(index: number, value: unknown): void;
  /** Settles the alt with a termination or error found on guard `index`. */
  fail(index: number, error: Error): void;
  /**
   * Set on the offers of an alt whose guards live in several places (a transport's, see
   * AltPlace.runSpread): only the alt's arbiter, elsewhere, may let such an offer commit, so a
   * channel never completes it; a lookup passing over it calls `poke` (a partner may be there).
   */
  readonly tentative?: boolean;
  poke?(): void;
}

export type WaitKind = 'read' | 'write';

/** The end an operation was made on, as a waiter needs to know it. */
export interface WaitingEnd extends HeldEnd {
  readonly state: number;
  readonly side: 'reader' | 'writer';
  readonly core: WaitHost;
  /** How many waiters of this end are queued now (kept by WaitQueue). */
  queued: number;
  /**
   * The waiter of this end queued last: while it is queued, or once done if it was a plain
   * operation's (kept, emptied, for the end's next wait to reuse: ChannelCore.queuePlain); null otherwise.
   */
  lastQueued: Waiter | null;
}

/** The channel a waiter waits on, as the waiter needs to know it. */
export interface WaitHost extends WatchedChannel {
  /** Withdraws `w` (if still waiting) and fails its operation with `error`. */
  fail(w: Waiter, error: Error): void;
}

export class Waiter implements Blocking {
  prev: Waiter | null = null;
  next: Waiter | null = null;
  queue: WaitQueue | null = null;
  /** Settles a plain operation: with its result, or with a `Rejection` to fail it. */
  resolve: (value: unknown) => void = noop;
  /** Undoes the abort listener; set only for an operation with a signal. */
  release: (() => void) | null = null;

  constructor(
    /** The value offered by a write while it waits; unused by a read. */
    public value: unknown,
    readonly choice: Choice | null,
    /** Position of the guard in its alt; 0 for a plain operation. */
    readonly index: number,
    readonly end: WaitingEnd,
  ) {}

  get operation(): WaitKind {
    return this.end.side === 'reader' ? 'read' : 'write';
  }

  /** True when an abort signal may end the wait without the channel. */
  get escapable(): boolean {
    return this.release !== null;
  }

  get channel(): WaitHost {
    return this.end.core;
  }

  channelsBlocking(): readonly WatchedChannel[] {
    return [this.end.core];
  }

  abortWith(error: Error): void {
    this.end.core.fail(this, error);
  }

  /**
   * Takes this waiter out of its queue and drops what it holds on to (the value offered, the
   * promise's resolving function, the abort listener); true if it was queued. Callers read the
   * value and the resolving function before.
   */
  leave(): boolean {
    if (this.queue === null) return false;
    this.queue.remove(this);
    if (this.release !== null) {
      this.release();
      this.release = null;
    }
    this.value = undefined;
    this.resolve = noop;
    return true;
  }
}

/** The resolving function of a waiter holding none, shared (an alt's selection starts with it too). */
export function noop(): void {}

/**
 * Calls a promise's resolving (or rejecting) function `settle` with `value`. Through `call`, never
 * directly: a direct call site remembers the one resolving function it met first, V8 then builds a
 * check for that very function into the optimized code of every process body that inlined the
 * site, and once that promise is collected a full GC throws all that code away (each run of a
 * network after a full GC paid it: commstime 1.2× the floor instead of 1.05×). A call through
 * `call` is optimized without guessing its target.
 */
export function settleWith(settle: (value: never) => void, value: unknown): void {
  (settle as (value: unknown) => void).call(undefined, value);
}

/**
 * What a plain operation's promise is resolved with to fail it: a thenable whose `then` rejects,
 * so the promise rejects with `error` one microtask later. A waiter keeping the reject function
 * too would keep a second closure alive for every blocked operation (10,000 blocked writers: that
 * much more for each young-generation GC to copy).
 */
export class Rejection {
  constructor(private readonly error: unknown) {}

  then(_: unknown, reject: (error: unknown) => void): void {
    settleWith(reject, this.error);
  }
}

export class WaitQueue {
  head: Waiter | null = null;
  tail: Waiter | null = null;
  length = 0;

  push(w: Waiter): void {
    const end = w.end;
    end.queued++;
    end.lastQueued = w;
    w.queue = this;
    w.prev = this.tail;
    w.next = null;
    if (this.tail === null) this.head = w;
    else this.tail.next = w;
    this.tail = w;
    this.length++;
  }

  remove(w: Waiter): void {
    if (w.queue !== this) return;
    if (w.prev === null) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === null) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = null;
    w.queue = null;
    this.length--;
    const end = w.end;
    end.queued--;
    // A plain operation's waiter stays, done, as the end's spare (ChannelCore.queuePlain reuses it); an
    // alt's goes, so a dead alt is not kept alive by its ends.
    if (end.lastQueued === w && w.choice !== null) end.lastQueued = null;
  }

  /**
   * The first waiter not belonging to `except` (an alt never meets itself) and not tentative, or
   * null; tentative waiters passed over are poked.
   */
  firstNotOf(except: Choice | null): Waiter | null {
    let w = this.head;
    while (w !== null && w.choice !== null && (w.choice === except || w.choice.tentative === true)) {
      if (w.choice !== except) w.choice.poke?.();
      w = w.next;
    }
    return w;
  }

  /** Every waiter, in order (a copy, safe to mutate the queue while walking it). */
  toArray(): Waiter[] {
    const all: Waiter[] = [];
    for (let w = this.head; w !== null; w = w.next) all.push(w);
    return all;
  }

  /** The waiters of `end`, in order: O(1) when it has none or one queued, else a walk. */
  of(end: WaitingEnd): Waiter[] {
    if (end.queued === 0) return [];
    const last = end.lastQueued;
    if (end.queued === 1 && last !== null && last.queue !== null) return [last];
    const mine: Waiter[] = [];
    for (let w = this.head; w !== null; w = w.next) if (w.end === end) mine.push(w);
    return mine;
  }
}

/**
 * The queue of a channel side on which nothing has waited yet, shared by every such side: always
 * empty, never pushed to (a channel makes its own queue before the first wait).
 */
export const NO_WAITERS = new WaitQueue();
