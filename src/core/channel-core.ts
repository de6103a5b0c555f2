/**
 * The in-process channel: the reference implementation of docs/semantics.md that every other
 * transport must match.
 *
 * State:
 *   buffer   Ring of values written and not yet read (null for rendezvous)
 *   takers   reads waiting for a value          putters  writes waiting for a reader or for room
 *   poisoned the PoisonError, once poisoned     firstEnd every live end in joining order, linked through the ends
 *   readers/writers: live ends per side; hadReaders/hadWriters: a side has ever had an end
 *
 * Compact, because a network may hold 100,000 channels: a queue is the shared empty NO_WAITERS
 * until something waits there; what only transports use (credit, read-ahead, termination
 * listeners, a non-default pending cap) and what most channels never have (poison, an observer's
 * counters) live in `extras`, made on first use; the live ends are
 * an intrusive list (two links on each end); the flags share one field; a default name is its
 * number until asked for.
 *
 * Invariants:
 * - takers non-empty implies the buffer is empty (a value never waits while a reader does), or
 *   leased > 0: the front of the buffer is read ahead by a reader elsewhere, and every other take
 *   waits until those values are consumed or given back (the transport is asked to recall them);
 * - leased <= buffer.size, and leased > 0 only on a fixed buffer;
 * - buffer.size + reserved <= capacity; a write without a promise sees reserved slots as taken;
 * - putters non-empty implies the buffer is full (counting reserved slots) or absent, and the
 *   channel is not terminated;
 * - poisoned !== null implies buffer, takers and putters are empty, for good;
 * - a side is retired iff it had ends and none is live; retirement is permanent;
 * - takers non-empty implies the writer side is not retired; putters non-empty implies the
 *   reader side is not retired.
 *
 * Every method that can complete an operation commits synchronously (the value moves at once)
 * and resumes the waiting process through the scheduler, which may delay but never undo it.
 */
import { overflowOf, Ring, type BufferSpec, type Overflow } from './buffer.js';
import { abortError, PendingLimitError, PoisonError, RetiredError, type Site } from './errors.js';
import type { ChannelStats } from './observer.js';
import { soleHolder, type HeldEnd } from './process-record.js';
import type { Runtime } from './runtime.js';
import { NO_WAITERS, Rejection, settleWith, Waiter, WaitQueue, type Choice, type WaitingEnd, type WaitHost } from './waiter.js';

/** End states; an end that is not OPEN can no longer be used. */
export const OPEN = 0;
export const RETIRED = 1;
export const POISONED = 2;

/** An end as the channel sees it: also a link of the channel's list of live ends. */
export interface EndState extends WaitingEnd {
  prevLive: EndState | null;
  nextLive: EndState | null;
}

/** Returned by takeNow when no value is available at once. */
export const EMPTY: unique symbol = Symbol('empty');

const RESOLVED: Promise<void> = Promise.resolve();

/** The default cap on waiting operations per side (core.async uses 1024 too). */
export const DEFAULT_MAX_PENDING = 1024;

const HAD_READERS = 1;
const HAD_WRITERS = 2;
const NOTED = 4;

/** What only channels served to other threads or hosts use; see the accessors of ChannelCore. */
class Extras {
  reserved = 0;
  leased = 0;
  onSqueeze: (() => void) | null = null;
  onRecall: (() => void) | null = null;
  listeners: Set<(error: Error) => void> | null = null;
  maxPending = DEFAULT_MAX_PENDING;
  poisoned: PoisonError | null = null;
  stats: ChannelStats | null = null;
}

export class ChannelCore<T> implements WaitHost {
  /** Reads waiting (NO_WAITERS, shared and always empty, until one waits here). */
  takers: WaitQueue = NO_WAITERS;
  /** Writes waiting (NO_WAITERS until one waits here). */
  putters: WaitQueue = NO_WAITERS;
  readonly buffer: Ring<T> | null;
  readers = 0;
  writers = 0;
  private flags = 0;
  /** The first of the live ends (each links to the next); null when none is live. */
  private firstEnd: EndState | null = null;
  private extras: Extras | null = null;
  /** The name given, or the number of an unnamed channel until its name is asked for. */
  private given: string | number;

  /** `name`: a channel's name, or a number n for the default name `chan<n>`. */
  constructor(
    name: string | number,
    spec: BufferSpec | null,
    maxPending: number,
    readonly runtime: Runtime,
  ) {
    this.given = name;
    this.buffer = spec === null ? null : new Ring<T>(spec.capacity, overflowOf(spec));
    if (maxPending !== DEFAULT_MAX_PENDING) this.more().maxPending = maxPending;
    if (runtime.observer !== null) this.more().stats = runtime.observer.channelCreated(this);
  }

  /** The PoisonError, once poisoned (kept with the rarely used state: most channels never are). */
  get poisoned(): PoisonError | null {
    return this.extras === null ? null : this.extras.poisoned;
  }

  /** Counters kept only if an observer was present when the channel was made (core/observer.ts). */
  get stats(): ChannelStats | null {
    return this.extras === null ? null : this.extras.stats;
  }

  get name(): string {
    const given = this.given;
    return typeof given === 'string' ? given : (this.given = `chan${given}`);
  }

  get overflow(): Overflow {
    return this.buffer === null ? 'wait' : this.buffer.overflow;
  }

  get maxPending(): number {
    return this.extras === null ? DEFAULT_MAX_PENDING : this.extras.maxPending;
  }

  get hadReaders(): boolean {
    return (this.flags & HAD_READERS) !== 0;
  }

  get hadWriters(): boolean {
    return (this.flags & HAD_WRITERS) !== 0;
  }

  /** Set while deadlock detection has this channel noted as changed (core/deadlock.ts). */
  get noted(): boolean {
    return (this.flags & NOTED) !== 0;
  }

  set noted(on: boolean) {
    this.flags = on ? this.flags | NOTED : this.flags & ~NOTED;
  }

  /**
   * Called when the channel is poisoned (with the PoisonError), when its readers retire and when
   * its writers retire (with that RetiredError): each at most once. A transport whose proxies
   * write ahead on credit, or answer try-operations from what they know, is told here. Empty
   * for purely local channels (made on first use: most channels never have one).
   */
  get onTerminate(): Set<(error: Error) => void> {
    const extras = this.more();
    return (extras.listeners ??= new Set());
  }

  /** Buffer slots promised to writers that write ahead on credit (see reserve / putReserved). */
  get reserved(): number {
    return this.extras === null ? 0 : this.extras.reserved;
  }

  set reserved(n: number) {
    if (n !== 0 || this.extras !== null) this.more().reserved = n;
  }

  /**
   * Called when a write cannot go in only because slots are promised (reserved): the transport
   * that promised them should take unused promises back (unreserve). Null for local channels.
   */
  get onSqueeze(): (() => void) | null {
    return this.extras === null ? null : this.extras.onSqueeze;
  }

  set onSqueeze(f: (() => void) | null) {
    this.more().onSqueeze = f;
  }

  /**
   * Values at the front of the buffer read ahead by a reader elsewhere (see lend): they stay here,
   * counted against the capacity, until that reader reports them consumed (consumeLeased) or gives
   * them back (endLease). No other take may pass them.
   */
  get leased(): number {
    return this.extras === null ? 0 : this.extras.leased;
  }

  set leased(n: number) {
    if (n !== 0 || this.extras !== null) this.more().leased = n;
  }

  /**
   * Called when a take finds the front of the buffer leased: the transport that lent it should
   * recall it (endLease). Null for local channels.
   */
  get onRecall(): (() => void) | null {
    return this.extras === null ? null : this.extras.onRecall;
  }

  set onRecall(f: (() => void) | null) {
    this.more().onRecall = f;
  }

  private more(): Extras {
    return (this.extras ??= new Extras());
  }

  private get listeners(): Set<(error: Error) => void> | null {
    return this.extras === null ? null : this.extras.listeners;
  }

  get writersRetired(): boolean {
    return this.hadWriters && this.writers === 0;
  }

  get readersRetired(): boolean {
    return this.hadReaders && this.readers === 0;
  }

  /** End of stream: every writer has retired and nothing is left in the buffer. */
  get atEnd(): boolean {
    return this.writersRetired && (this.buffer === null || this.buffer.size === 0);
  }

  *liveEnds(): Iterable<HeldEnd> {
    for (let end = this.firstEnd; end !== null; end = end.nextLive) yield end;
  }

  *waitingEnds(): Iterable<HeldEnd> {
    for (let w = this.takers.head; w !== null; w = w.next) yield w.end;
    for (let w = this.putters.head; w !== null; w = w.next) yield w.end;
  }

  // ---- ends joining and leaving -------------------------------------------------------------

  /** Registers a new end. Throws RetiredError if its side has already retired for good. */
  join(end: EndState): void {
    if (end.side === 'reader') {
      if (this.readersRetired) throw new RetiredError('readers-retired', this.name);
      this.readers++;
      this.flags |= HAD_READERS;
    } else {
      if (this.writersRetired) throw new RetiredError('writers-retired', this.name);
      this.writers++;
      this.flags |= HAD_WRITERS;
    }
    this.link(end);
  }

  /**
   * Appends `end` to the live ends. The list keeps the order the ends joined in (deadlock
   * detection looks for a way out oldest end first, and a channel's oldest ends are the ones
   * likeliest to stay: the main program's, a server's), and is circular backward: the first
   * end's `prevLive` is the last, so appending needs no field for the last.
   */
  private link(end: EndState): void {
    const first = this.firstEnd;
    end.nextLive = null;
    if (first === null) {
      end.prevLive = end;
      this.firstEnd = end;
      return;
    }
    const last = first.prevLive as EndState;
    last.nextLive = end;
    end.prevLive = last;
    first.prevLive = end;
  }

  /** Takes `end` out of the live ends; false if it was not in them (a live end's `prevLive` is never null). */
  private unlink(end: EndState): boolean {
    const prev = end.prevLive;
    if (prev === null) return false;
    const next = end.nextLive;
    const first = this.firstEnd as EndState;
    if (end === first) {
      this.firstEnd = next;
      if (next !== null) next.prevLive = prev;
    } else {
      prev.nextLive = next;
      if (next !== null) next.prevLive = prev;
      else first.prevLive = prev;
    }
    end.prevLive = end.nextLive = null;
    return true;
  }

  /** Contract: `end` was OPEN and is now RETIRED. Fails its own pending operations; may retire a side. */
  leave(end: EndState): void {
    if (!this.unlink(end)) return;
    if (end.queued > 0) {
      const mine = end.side === 'reader' ? this.takers : this.putters;
      for (const w of mine.of(end)) this.fail(w, new RetiredError('end-retired', this.name));
    }
    if (end.side === 'reader') {
      this.readers--;
      if (this.readersRetired) this.retireReaders();
    } else {
      this.writers--;
      if (this.writersRetired) this.retireWriters();
    }
    this.runtime.noteChange(this);
  }

  /** Poisons the channel for good; every pending operation fails. Idempotent. */
  poison(reason: unknown, origin: Site): PoisonError {
    if (this.poisoned !== null) return this.poisoned;
    const error = new PoisonError(reason, origin);
    this.more().poisoned = error;
    this.discardBuffer();
    for (const w of this.takers.toArray()) this.fail(w, error);
    for (const w of this.putters.toArray()) this.fail(w, error);
    while (this.firstEnd !== null) this.unlink(this.firstEnd);
    if (this.listeners !== null) for (const listener of this.listeners) listener(error);
    this.runtime.observer?.channelPoisoned(this, error);
    this.runtime.noteChange(this);
    return error;
  }

  private retireWriters(): void {
    if (this.atEnd && this.takers.length > 0) for (const w of this.takers.toArray()) this.fail(w, new RetiredError('writers-retired', this.name));
    if (this.listeners !== null) for (const listener of this.listeners) listener(new RetiredError('writers-retired', this.name));
    this.runtime.observer?.channelRetired(this, 'writer');
  }

  private retireReaders(): void {
    this.discardBuffer();
    if (this.putters.length > 0) for (const w of this.putters.toArray()) this.fail(w, new RetiredError('readers-retired', this.name));
    if (this.listeners !== null) for (const listener of this.listeners) listener(new RetiredError('readers-retired', this.name));
    this.runtime.observer?.channelRetired(this, 'reader');
  }

  /** Empties the buffer for good (poison, readers gone); what it held counts as dropped. */
  private discardBuffer(): void {
    this.reserved = 0;
    this.leased = 0;
    if (this.buffer === null) return;
    if (this.stats !== null) this.stats.dropped += this.buffer.size;
    this.buffer.clear();
  }

  // ---- why an operation cannot proceed ------------------------------------------------------

  /** The error a read on `end` must fail with before looking for a value, or null. */
  readBlocker(end: EndState): Error | null {
    if (this.poisoned !== null) return this.poisoned;
    if (end.state !== OPEN) return new RetiredError('end-retired', this.name);
    return null;
  }

  /** The error a write on `end` must fail with, or null. */
  writeBlocker(end: EndState): Error | null {
    if (this.poisoned !== null) return this.poisoned;
    if (end.state !== OPEN) return new RetiredError('end-retired', this.name);
    if (this.readersRetired) return new RetiredError('readers-retired', this.name);
    return null;
  }

  // ---- completing at once -------------------------------------------------------------------

  /**
   * Takes a value if one is available now: from the buffer (refilling it from a waiting writer)
   * or straight from a waiting writer. Never takes from an alt's own offers (`except`).
   * Contract: the caller has checked readBlocker.
   */
  takeNow(except: Choice | null): T | typeof EMPTY {
    const buffer = this.buffer;
    if (this.leased > 0) {
      this.onRecall?.();
      return EMPTY;
    }
    if (buffer !== null && buffer.size > 0) return this.shiftBuffer(buffer, except);
    const p = this.putters.firstNotOf(except);
    if (p === null) return EMPTY;
    const value = p.value as T;
    this.completeWrite(p);
    if (this.stats !== null) this.stats.read++;
    return value;
  }

  /**
   * Puts `value` if that is possible now: to a waiting reader, or into the buffer (a dropping or
   * sliding buffer always accepts, dropping a value when full). Never gives to `except`'s offers.
   * Contract: the caller has checked writeBlocker.
   */
  putNow(value: T, except: Choice | null): boolean {
    const t = this.leased > 0 ? null : this.takers.firstNotOf(except);
    if (t !== null) {
      this.completeRead(t, value);
      return true;
    }
    const buffer = this.buffer;
    if (buffer === null) return false;
    if (buffer.size + this.reserved < buffer.capacity) buffer.push(value);
    else if (this.overflow === 'wait') {
      if (this.reserved > 0 && this.onSqueeze !== null) this.onSqueeze();
      return false;
    } else {
      if (this.overflow === 'drop-oldest') {
        buffer.shift();
        buffer.push(value);
      }
      if (this.stats !== null) this.stats.dropped++;
    }
    return true;
  }

  // ---- slots promised to writers on credit (fixed buffers only) -----------------------------

  /** Promises `n` free slots. Contract: a fixed buffer, and n <= capacity - size - reserved. */
  reserve(n: number): void {
    this.reserved += n;
  }

  /** Takes back `n` promised slots; writers waiting for room move into it, in arrival order. */
  unreserve(n: number): void {
    this.reserved = Math.max(0, this.reserved - n);
    const buffer = this.buffer;
    if (buffer === null) return;
    while (buffer.size + this.reserved < buffer.capacity) {
      const p = this.putters.firstNotOf(null);
      if (p === null) return;
      buffer.push(p.value as T);
      this.completeWrite(p);
    }
  }

  /**
   * A write into a slot promised to its writer: to the first waiting reader, else into the
   * buffer; never waits. Contract: reserved > 0 and writeBlocker was null.
   */
  putReserved(value: T): void {
    this.reserved--;
    const t = this.leased > 0 ? null : this.takers.firstNotOf(null);
    if (t !== null) this.completeRead(t, value);
    else (this.buffer as Ring<T>).push(value);
  }

  /** The front value of a non-empty buffer; the first waiting writer (not `except`'s) moves into the room. */
  private shiftBuffer(buffer: Ring<T>, except: Choice | null): T {
    const value = buffer.shift();
    const p = this.putters.firstNotOf(except);
    if (p !== null) {
      buffer.push(p.value as T);
      this.completeWrite(p);
    }
    if (this.stats !== null) this.stats.read++;
    return value;
  }

  // ---- values read ahead by a reader elsewhere (fixed buffers only) -------------------------

  /**
   * Lends the first `n` buffered values to a reader elsewhere, which reads ahead copies of them
   * (the transport sends them): they stay in the buffer until consumed or given back.
   * Contract: a fixed buffer, leased === 0, n <= buffer.size. Returns the values lent, in order.
   */
  lend(n: number): T[] {
    const buffer = this.buffer as Ring<T>;
    this.leased = n;
    return buffer.peek(n);
  }

  /** The borrower consumed the first `n` leased values: they leave the buffer as reads do. */
  consumeLeased(n: number): void {
    const buffer = this.buffer;
    const k = Math.min(n, this.leased);
    if (buffer === null || k === 0) return;
    this.leased -= k;
    for (let i = 0; i < k; i++) this.shiftBuffer(buffer, null);
    if (this.leased === 0) this.serveTakers();
  }

  /** The lease is over (the rest given back): the values stay at the front, for the readers waiting first. */
  endLease(): void {
    if (this.leased === 0) return;
    this.leased = 0;
    this.serveTakers();
  }

  /** After a lease: readers that waited behind it take the buffered values in order; at end of stream the rest fail. */
  private serveTakers(): void {
    const buffer = this.buffer;
    if (buffer === null) return;
    while (buffer.size > 0) {
      const t = this.takers.firstNotOf(null);
      if (t === null) break;
      this.completeRead(t, this.shiftBuffer(buffer, null));
    }
    if (this.atEnd) for (const w of this.takers.toArray()) this.fail(w, new RetiredError('writers-retired', this.name));
    this.runtime.noteChange();
  }

  private completeRead(w: Waiter, value: T): void {
    const resolve = w.resolve;
    w.leave();
    if (this.stats !== null) this.stats.read++;
    if (w.choice !== null) {
      w.choice.claim(w);
      w.choice.settle(w.index, value);
    } else this.resume(w, resolve, value);
  }

  private completeWrite(w: Waiter): void {
    const resolve = w.resolve;
    w.leave();
    if (w.choice !== null) {
      w.choice.claim(w);
      w.choice.settle(w.index, undefined);
    } else this.resume(w, resolve, undefined);
  }

  fail(w: Waiter, error: Error): void {
    const resolve = w.resolve;
    if (!w.leave()) return;
    if (w.choice !== null) {
      w.choice.claim(w);
      w.choice.fail(w.index, error);
    } else this.resume(w, resolve, new Rejection(error));
  }

  /** Resumes a waiting process with a result: at once if the scheduler lets it proceed, else through `wake`. */
  resume(w: Waiter, settle: (value: never) => void, value: unknown): void {
    if (this.stats !== null) this.runtime.observer?.resumed(w, soleHolder(w.end.holders));
    if (this.runtime.scheduler.proceed()) settleWith(settle, value);
    else this.runtime.scheduler.wake(() => settleWith(settle, value), this.label(w.end));
  }

  /** A write's completion: when the scheduler lets it proceed, one shared resolved promise serves every write. */
  done(end: EndState): Promise<void> {
    return this.runtime.scheduler.proceed() ? RESOLVED : this.later(undefined, end);
  }

  /** A promise of `value`: resolved now if the scheduler lets it proceed, else when it wakes it. */
  settled<V>(value: V, end: EndState): Promise<V> {
    return this.runtime.scheduler.proceed() ? Promise.resolve(value) : this.later(value, end);
  }

  /** A promise rejected with `error`: now if the scheduler lets it proceed, else when it wakes it. */
  failed<V>(error: Error, end: EndState): Promise<V> {
    if (this.runtime.scheduler.proceed()) return Promise.reject(error);
    return new Promise<V>((_, reject) => this.runtime.scheduler.wake(() => settleWith(reject, error), this.label(end)));
  }

  private later<V>(value: V, end: EndState): Promise<V> {
    return new Promise<V>((resolve) => this.runtime.scheduler.wake(() => settleWith(resolve, value), this.label(end)));
  }

  /** "<process> <read|write> <channel>", for traces; the process is "main" when unknown. */
  private label(end: WaitingEnd): string {
    const by = soleHolder(end.holders)?.name ?? 'main';
    return `${by} ${end.side === 'reader' ? 'read' : 'write'} ${this.name}`;
  }

  // ---- waiting ------------------------------------------------------------------------------

  /**
   * Queues an alt's offer that could not complete at once. Throws PendingLimitError at the cap.
   * Contract: the caller has checked the blockers and takeNow/putNow.
   */
  enqueue(w: Waiter): void {
    const queue = this.queueOf(w.end.side);
    if (queue.length >= this.maxPending) throw this.pendingLimit(w.end.side);
    queue.push(w);
  }

  /** Makes, queues and returns the promise of a plain (non-alt) waiting operation. */
  wait<V>(value: unknown, end: EndState, signal: AbortSignal | undefined): Promise<V> {
    const queue = this.queueOf(end.side);
    if (queue.length >= this.maxPending) return this.failed(this.pendingLimit(end.side), end);
    const promise = this.queuePlain<V>(value, end, queue);
    const w = end.lastQueued as Waiter;
    if (signal !== undefined) this.listenForAbort(w, signal);
    if (this.stats !== null) this.runtime.observer?.blocked(w, soleHolder(end.holders));
    if (end.holders.length !== 0) this.runtime.noteChange(this);
    return promise;
  }

  /**
   * `wait` on the fast paths of read and write: no signal, an unobserved channel, an end held by a
   * process. `queue` is the end's side's (NO_WAITERS until something has waited there).
   */
  waitHeld<V>(value: unknown, end: EndState, queue: WaitQueue): Promise<V> {
    if (queue === NO_WAITERS) queue = this.queueOf(end.side);
    else if (queue.length >= this.maxPending) return this.failed(this.pendingLimit(end.side), end);
    const promise = this.queuePlain<V>(value, end, queue);
    this.runtime.noteChange(this);
    return promise;
  }

  /** Queues on `queue` a plain operation of `end` offering `value` (its waiter becomes `end.lastQueued`); its promise. */
  private queuePlain<V>(value: unknown, end: EndState, queue: WaitQueue): Promise<V> {
    // The end's last plain waiter, done, serves again (see WaitQueue.remove): a process blocking
    // on the same end over and over allocates one waiter, not one per wait. Not on a counting
    // channel, whose observer tells waits apart by their waiter.
    const spare = end.lastQueued;
    const w = spare !== null && spare.queue === null && spare.choice === null && this.stats === null ? spare : new Waiter(undefined, null, 0, end);
    w.value = value;
    const promise = new Promise<V>((resolve) => {
      w.resolve = resolve as (v: unknown) => void;
    });
    queue.push(w);
    return promise;
  }

  /** The queue of `side`'s waiting operations, made on first use. */
  private queueOf(side: 'reader' | 'writer'): WaitQueue {
    if (side === 'reader') return this.takers === NO_WAITERS ? (this.takers = new WaitQueue()) : this.takers;
    return this.putters === NO_WAITERS ? (this.putters = new WaitQueue()) : this.putters;
  }

  private pendingLimit(side: 'reader' | 'writer'): PendingLimitError {
    return new PendingLimitError(this.name, side === 'reader' ? 'reads' : 'writes', this.maxPending);
  }

  private listenForAbort(w: Waiter, signal: AbortSignal): void {
    const onAbort = (): void => this.fail(w, abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    w.release = () => signal.removeEventListener('abort', onAbort);
  }
}
