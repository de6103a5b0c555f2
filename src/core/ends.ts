/**
 * Typed ends of a channel: Reader<T> and Writer<T>. Ends, not channels, are given to processes.
 *
 * Invariants:
 * - state moves OPEN -> RETIRED or OPEN -> POISONED, never back;
 * - an end that is not OPEN is no longer counted by its channel and fails every operation;
 * - `holders` lists the live processes the end was given to (or made in); empty means the main
 *   program holds it. The last holder to end retires or poisons it.
 */
import { ChannelCore, EMPTY, OPEN, POISONED, RETIRED, type EndState } from './channel-core.js';
import { describeEnd, inspectCustom } from './describe.js';
import { abortError, RetiredError, type PoisonError, type Site } from './errors.js';
import { addHolder, NO_HOLDERS, removeHolder } from './holding.js';
import { soleHolder, type Blocking, type ProcessRecord } from './process-record.js';
import { checkInteger, invalidArgument, opOptionsProblem } from './validate.js';
import { settleWith, Waiter, type Choice } from './waiter.js';
import { writeAllVia } from './write-all.js';

/** Options of every blocking operation. */
export interface OpOptions {
  /** Aborting removes the pending operation, leaving the channel as if it had never been made. */
  readonly signal?: AbortSignal;
}

/** tryRead's result: a value, or why there is none (poison throws instead). */
export type TryReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: 'empty' | 'retired' };

/** tryWrite's result: accepted (given to a reader or buffered), or why not (poison throws instead). */
export type TryWriteResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'full' | 'retired' };

/** How a process's end leaves when the process ends. */
export type Ending = { readonly kind: 'retire' } | { readonly kind: 'poison'; readonly reason: unknown; readonly origin: Site | undefined };

/** The reading end of a channel. */
export interface Reader<out T> extends AsyncIterable<T> {
  readonly channelName: string;
  /** The next value; rejects with RetiredError at end-of-stream, PoisonError once poisoned. */
  read(options?: OpOptions): Promise<T>;
  /** Between 1 and `max` values, as many as are available once one is; same errors as read. */
  readMany(max: number, options?: OpOptions): Promise<T[]>;
  /** A value if one is available now; never waits. Throws PoisonError once poisoned. */
  tryRead(): TryReadResult<T>;
  /** This end leaves; when every reader has left, writers get RetiredError. Idempotent. */
  retire(): void;
  /** Poisons the channel for good. A no-op on an end that has already left. */
  poison(reason?: unknown): void;
}

/** The writing end of a channel. */
export interface Writer<in T> {
  readonly channelName: string;
  /** Resolves once a reader took the value (rendezvous) or it is buffered. */
  write(value: T, options?: OpOptions): Promise<void>;
  /** Writes the values in order; resolves once the last is taken or buffered. */
  writeMany(values: readonly T[], options?: OpOptions): Promise<void>;
  /**
   * Writes every value of an iterable or async iterable, in order; pulls the next value only once
   * the previous one was accepted. Same errors as write.
   */
  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void>;
  /** Writes now if a reader waits or the buffer has room; never waits. Throws PoisonError once poisoned. */
  tryWrite(value: T): TryWriteResult;
  /** This end leaves; when every writer has left, readers drain the buffer then see the end. Idempotent. */
  retire(): void;
  /** Poisons the channel for good. A no-op on an end that has already left. */
  poison(reason?: unknown): void;
}

/**
 * Marks an end a process can hold: core ends, and the proxies a transport makes for ends whose
 * channel lives in another thread or host. `par`/`spawn` find such ends among a process's
 * arguments, call `hold` when it starts and `release` when it ends.
 */
export const processEnd: unique symbol = Symbol.for('cspflow.processEnd');

/** An end as a process sees it when it starts and ends. */
export interface ProcessEnd {
  readonly [processEnd]: true;
  /** The processes holding it (kept through core/holding.ts). */
  readonly holders: readonly ProcessRecord[];
  /** The process starts holding this end (given to it); its maker, if another process, lets go. */
  giveTo(process: ProcessRecord): void;
  hold(process: ProcessRecord): void;
  release(process: ProcessRecord, ending: Ending): void;
  retire(): void;
  poisonFrom(reason: unknown, origin: Site | undefined): unknown;
}

const NONE: readonly Blocking[] = [];

/**
 * The process that made an end while starting, until it gives the end away: few ends have one,
 * so it is kept here rather than in a field of every end.
 */
const makers = new WeakMap<End<unknown>, ProcessRecord>();

/** The completion of every write that completes at once on the fast path. */
const RESOLVED: Promise<void> = Promise.resolve();

export function isProcessEnd(value: unknown): value is ProcessEnd {
  return typeof value === 'object' && value !== null && (value as Partial<ProcessEnd>)[processEnd] === true;
}

/**
 * Compact, as a network may hold 200,000 ends: the marker and the side live on the prototype, an
 * end held by nobody shares one empty holder list (NO_HOLDERS), the maker of the few ends made
 * while a process starts is kept aside (`makers`), and the channel's list of live ends is linked
 * through the ends themselves.
 */
export abstract class End<T> implements EndState, ProcessEnd {
  state = OPEN;
  holders: ProcessRecord[] = NO_HOLDERS;
  /**
   * Waiters of this end now queued, and the last one queued — still queued, or a plain
   * operation's kept, emptied, for the next wait to reuse (kept by WaitQueue; see waiter.ts).
   */
  queued = 0;
  lastQueued: Waiter | null = null;
  /** The neighbours of this end in its channel's list of live ends (kept by ChannelCore). */
  prevLive: EndState | null = null;
  nextLive: EndState | null = null;
  abstract readonly side: 'reader' | 'writer';

  constructor(readonly core: ChannelCore<T>) {}

  get [processEnd](): true {
    return true;
  }

  get channelName(): string {
    return this.core.name;
  }

  get alive(): boolean {
    return this.state === OPEN;
  }

  /** Registers with the channel and with the process starting now, if any (its maker). */
  protected attach(): void {
    this.core.join(this);
    const starting = this.core.runtime.current;
    if (starting !== null) {
      this.hold(starting);
      makers.set(this, starting);
    }
  }

  retire(): void {
    if (this.state !== OPEN) return;
    this.state = RETIRED;
    this.core.leave(this);
  }

  poison(reason?: unknown): void {
    this.poisonFrom(reason, undefined);
  }

  /** Poisons with a known origin (poison spreading keeps the first origin). */
  poisonFrom(reason: unknown, origin: Site | undefined): PoisonError | null {
    if (this.state !== OPEN) return null;
    this.state = POISONED;
    const by = soleHolder(this.holders)?.name;
    return this.core.poison(reason, origin ?? { channel: this.core.name, process: by });
  }

  /**
   * `process` is given this end. A process that made the end hands it over: it lets go, so the
   * end retires when its new holders end (a parent wiring up children keeps nothing open).
   */
  giveTo(process: ProcessRecord): void {
    const maker = makers.get(this);
    if (maker !== undefined && maker !== process) {
      makers.delete(this);
      removeHolder(this, maker);
      this.core.runtime.noteChange(this.core);
    }
    this.hold(process);
  }

  /** The operations waiting on this end now (a plain operation, or the alt it is part of). */
  waits(): Iterable<Blocking> {
    if (this.queued === 0) return NONE;
    return (this.side === 'reader' ? this.core.takers : this.core.putters).of(this).map((w) => w.choice ?? w);
  }

  /** `Reader<"xs" open, held by "square">`: what `util.inspect` and `console.log` show. */
  [inspectCustom](): string {
    return describeEnd(this);
  }

  /** `process` now holds this end. */
  hold(process: ProcessRecord): void {
    addHolder(this, process);
  }

  /** `process` has ended and lets go; the last holder retires or poisons the end. */
  release(process: ProcessRecord, ending: Ending): void {
    if (!removeHolder(this, process)) return;
    this.core.runtime.noteChange(this.core);
    if (this.holders.length > 0) return;
    if (ending.kind === 'retire') this.retire();
    else this.poisonFrom(ending.reason, ending.origin ?? { channel: this.core.name, process: process.name });
  }
}

export class ReaderEnd<T> extends End<T> implements Reader<T> {
  get side(): 'reader' {
    return 'reader';
  }

  constructor(core: ChannelCore<T>) {
    super(core);
    this.attach();
  }

  /**
   * The common case first, small enough for V8 to inline into a process body: a rendezvous read
   * meeting a plain write already waiting, when the scheduler lets both proceed. It does what
   * takeNow + completeWrite + settled do on that path, nothing less (an unobserved channel: no
   * counters to keep).
   */
  read(options?: OpOptions): Promise<T> {
    const core = this.core;
    if (options === undefined && this.state === OPEN && core.buffer === null && core.stats === null) {
      const p = core.putters.head;
      if (p !== null) {
        if (p.choice === null && core.runtime.scheduler.proceed()) {
          const value = p.value as T;
          const resolve = p.resolve;
          p.leave();
          settleWith(resolve, undefined);
          return Promise.resolve(value);
        }
      } else if (core.poisoned === null && core.writers > 0 && this.holders !== NO_HOLDERS) {
        return core.waitHeld<T>(undefined, this, core.takers);
      }
    }
    return this.readSlowly(options);
  }

  /** Every read the fast path in `read` does not take. */
  private readSlowly(options: OpOptions | undefined): Promise<T> {
    const core = this.core;
    if (options !== undefined) {
      const problem = opOptionsProblem('read(options)', options);
      if (problem !== null) return core.failed(problem, this);
    }
    const signal = options?.signal;
    if (signal?.aborted) return core.failed(abortError(signal), this);
    if (core.poisoned !== null || this.state !== OPEN) return core.failed(core.readBlocker(this) as Error, this);
    const value = core.takeNow(null);
    if (value !== EMPTY) return core.settled(value, this);
    if (core.atEnd) return core.failed(new RetiredError('writers-retired', core.name), this);
    const waiting = core.wait<T>(undefined, this, signal);
    if (this.holders.length === 0) core.runtime.watch.noteMainWait(core);
    return waiting;
  }

  readMany(max: number, options?: OpOptions): Promise<T[]> {
    const core = this.core;
    if (!Number.isInteger(max) || max < 1 || options !== undefined) {
      const problem = maxProblem(max) ?? opOptionsProblem('readMany(max, options)', options);
      if (problem !== null) return core.failed(problem, this);
    }
    if (options?.signal?.aborted) return core.failed(abortError(options.signal), this);
    const blocker = core.readBlocker(this);
    if (blocker !== null) return core.failed(blocker, this);
    const values: T[] = [];
    this.drainInto(values, max);
    if (values.length > 0) return core.settled(values, this);
    return this.read(options).then((first) => {
      values.push(first);
      if (this.core.readBlocker(this) === null) this.drainInto(values, max);
      return values;
    });
  }

  /** Moves available values into `values` up to `max`. Contract: readBlocker was null. */
  private drainInto(values: T[], max: number): void {
    while (values.length < max) {
      const value = this.core.takeNow(null);
      if (value === EMPTY) return;
      values.push(value);
    }
  }

  tryRead(): TryReadResult<T> {
    const core = this.core;
    const blocker = core.readBlocker(this);
    if (blocker !== null) throw blocker;
    const value = core.takeNow(null);
    if (value !== EMPTY) return { ok: true, value };
    return { ok: false, reason: core.atEnd ? 'retired' : 'empty' };
  }

  offerTo(choice: Choice, index: number): Waiter | null {
    const core = this.core;
    const blocker = core.readBlocker(this);
    if (blocker !== null) return refuse(choice, index, blocker);
    const value = core.takeNow(choice);
    if (value !== EMPTY) {
      choice.claim(null);
      choice.settle(index, value);
      return null;
    }
    if (core.atEnd) return refuse(choice, index, new RetiredError('writers-retired', core.name));
    const w = new Waiter(undefined, choice, index, this);
    core.enqueue(w);
    return w;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const endOfStream = (error: unknown): IteratorResult<T> => {
      if (error instanceof RetiredError && error.why === 'writers-retired') return { done: true, value: undefined };
      throw error;
    };
    return {
      next: () => this.read().then((value): IteratorResult<T> => ({ done: false, value }), endOfStream),
    };
  }
}

export class WriterEnd<T> extends End<T> implements Writer<T> {
  get side(): 'writer' {
    return 'writer';
  }

  constructor(core: ChannelCore<T>) {
    super(core);
    this.attach();
  }

  /**
   * The common case first, small enough for V8 to inline into a process body: a rendezvous write
   * meeting a plain read already waiting, when the scheduler lets both proceed. It does what
   * putNow + completeRead + done do on that path, nothing less (an unobserved channel: no
   * counters to keep). A reader waiting means the readers have not retired and nothing is poisoned.
   */
  write(value: T, options?: OpOptions): Promise<void> {
    const core = this.core;
    if (options === undefined && this.state === OPEN && core.buffer === null && core.stats === null) {
      const t = core.takers.head;
      if (t !== null) {
        if (t.choice === null && core.runtime.scheduler.proceed()) {
          const resolve = t.resolve;
          t.leave();
          settleWith(resolve, value);
          return RESOLVED;
        }
      } else if (core.poisoned === null && core.readers > 0 && this.holders !== NO_HOLDERS) {
        return core.waitHeld<void>(value, this, core.putters);
      }
    }
    return this.writeSlowly(value, options);
  }

  /** Every write the fast path in `write` does not take. */
  private writeSlowly(value: T, options: OpOptions | undefined): Promise<void> {
    const core = this.core;
    if (options !== undefined) {
      const problem = opOptionsProblem('write(value, options)', options);
      if (problem !== null) return core.failed(problem, this);
    }
    const signal = options?.signal;
    if (signal?.aborted) return core.failed(abortError(signal), this);
    if (core.poisoned !== null || this.state !== OPEN || core.readersRetired) return core.failed(core.writeBlocker(this) as Error, this);
    if (core.putNow(value, null)) return core.done(this);
    const waiting = core.wait<void>(value, this, signal);
    if (this.holders.length === 0) core.runtime.watch.noteMainWait(core);
    return waiting;
  }

  async writeMany(values: readonly T[], options?: OpOptions): Promise<void> {
    const core = this.core;
    if (!Array.isArray(values)) {
      throw invalidArgument('type', 'writeMany(values, options)', 'values', values, 'an array of values', 'To write one value, use write(value).');
    }
    const problem = opOptionsProblem('writeMany(values, options)', options);
    if (problem !== null) throw problem;
    if (options?.signal?.aborted) throw abortError(options.signal);
    for (let i = 0; i < values.length; i++) {
      const blocker = core.writeBlocker(this);
      if (blocker !== null) throw blocker;
      if (!core.putNow(values[i] as T, null)) await this.write(values[i] as T, options);
    }
  }

  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void> {
    return writeAllVia(this, values, options);
  }

  offerTo(choice: Choice, index: number, value: unknown): Waiter | null {
    const core = this.core;
    const blocker = core.writeBlocker(this);
    if (blocker !== null) return refuse(choice, index, blocker);
    if (core.putNow(value as T, choice)) {
      choice.claim(null);
      choice.settle(index, undefined);
      return null;
    }
    const w = new Waiter(value, choice, index, this);
    core.enqueue(w);
    return w;
  }

  tryWrite(value: T): TryWriteResult {
    const core = this.core;
    const blocker = core.writeBlocker(this);
    if (blocker instanceof RetiredError && blocker.why === 'readers-retired') return { ok: false, reason: 'retired' };
    if (blocker !== null) throw blocker;
    return core.putNow(value, null) ? { ok: true } : { ok: false, reason: 'full' };
  }
}

/** What is wrong with readMany's `max`, or null. */
function maxProblem(max: unknown): Error | null {
  try {
    checkInteger('readMany(max, options)', 'max', max, 1);
    return null;
  } catch (error) {
    return error as Error;
  }
}

/** Settles an alt with the termination found on guard `index`. */
function refuse(choice: Choice, index: number, error: Error): null {
  if (choice.claim(null)) choice.fail(index, error);
  return null;
}
