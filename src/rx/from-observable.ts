/**
 * `fromObservable(observable, writer, { overflow, buffer })`: an Observable's values into a
 * channel. An Observable cannot be back-pressured, so values wait in a queue of at most `buffer`
 * (default 1024) while the channel is not taking them, and the caller must say what happens when
 * it is full: `'error'` (the channel is poisoned with OverflowError at once), `'drop-newest'` (the
 * new value is discarded) or `'drop-oldest'` (the oldest waiting value is). Never an unbounded queue.
 *
 * Completion retires the channel once the queue is written; an Observable error poisons it (reason:
 * that error) once the queue is written. Readers leaving or poison unsubscribe. Runs as a process
 * (`fromObservable`); with a writer it returns that process's promise (rejects with the Observable's
 * error or OverflowError), without one it makes the channel and returns its reader.
 */
import type { Reader, Writer } from '../core/ends.js';
import { expectInteger, expectOneOf, expectOptions, isWriter } from '../ops/check.js';
import { channelFor, launchOne, leave, type OutputOptions } from '../ops/operator.js';
import { OverflowError } from './errors.js';
import type { Subscribable, Unsubscribable } from './rxjs.js';

export type Overflow = 'error' | 'drop-newest' | 'drop-oldest';

export interface FromObservableOptions {
  /** What to do with a value that finds `buffer` values already waiting. Required: there is no safe default. */
  readonly overflow: Overflow;
  /** How many values may wait for the channel (>= 1). Default 1024. */
  readonly buffer?: number;
}

/** With no writer: also the made channel's own options (its name; its `channelBuffer`). */
export interface FromObservableChannelOptions extends FromObservableOptions {
  readonly name?: string;
  readonly channelBuffer?: OutputOptions['buffer'];
}

export function fromObservable<T>(observable: Subscribable<T>, writer: Writer<T>, options: FromObservableOptions): Promise<void>;
export function fromObservable<T>(observable: Subscribable<T>, options: FromObservableChannelOptions): Reader<T>;
export function fromObservable<T>(observable: Subscribable<T>, to: Writer<T> | FromObservableChannelOptions, more?: FromObservableOptions): Reader<T> | Promise<void> {
  const where = 'fromObservable(observable, writer?, options)';
  if (typeof (observable as Partial<Subscribable<T>> | null)?.subscribe !== 'function') {
    throw new TypeError(`${where}: observable must have a subscribe method (an RxJS Observable), got ${observable === null ? 'null' : typeof observable}`);
  }
  let writer: Writer<T>;
  let reader: Reader<T> | null = null;
  let options: FromObservableOptions;
  if (isWriter(to)) {
    writer = to as Writer<T>;
    options = more as FromObservableOptions;
  } else {
    const own = to as FromObservableChannelOptions;
    expectOptions(where, own);
    options = own;
    const c = channelFor<T>('fromObservable', {
      ...(own?.name === undefined ? {} : { name: own.name }),
      ...(own?.channelBuffer === undefined ? {} : { buffer: own.channelBuffer }),
    });
    writer = c.writer();
    reader = c.reader();
  }
  expectOptions(where, options);
  if (options?.overflow === undefined) {
    throw new TypeError(`${where}: options.overflow is required — an Observable cannot be back-pressured, so choose 'error', 'drop-newest' or 'drop-oldest'`);
  }
  expectOneOf(where, 'options.overflow', options.overflow, ['error', 'drop-newest', 'drop-oldest']);
  const limit = options.buffer ?? 1024;
  expectInteger(where, 'options.buffer', limit, 1);
  const done = launchOne('fromObservable', [], [writer], bridgeBody(observable, writer, options.overflow, limit));
  return reader ?? done;
}

/**
 * Invariants: `queue` never holds more than `limit` values; once `ended`, nothing is queued; the
 * subscription is closed when the body ends, whatever ends it.
 */
function bridgeBody<T>(observable: Subscribable<T>, writer: Writer<T>, overflow: Overflow, limit: number): () => Promise<void> {
  return async () => {
    let queue: T[] = [];
    let ended: { error?: unknown; abrupt: boolean } | null = null;
    let wake: (() => void) | null = null;
    const poke = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const finish = (how: { error?: unknown; abrupt: boolean }): void => {
      if (ended !== null) return;
      ended = how;
      if (how.abrupt) leave([], [writer], how.error);
      poke();
    };
    let subscription: Unsubscribable | null = null;
    subscription = observable.subscribe({
      next: (value) => {
        if (ended !== null) return;
        if (queue.length < limit) queue.push(value);
        else if (overflow === 'drop-oldest') {
          queue.shift();
          queue.push(value);
        } else if (overflow === 'error') {
          queue = [];
          finish({ error: new OverflowError(writer.channelName, limit), abrupt: true });
          subscription?.unsubscribe();
          return;
        }
        poke();
      },
      error: (error: unknown) => finish({ error, abrupt: false }),
      complete: () => finish({ abrupt: false }),
    });
    try {
      for (;;) {
        if (queue.length > 0) {
          const batch = queue;
          queue = [];
          await writer.writeMany(batch);
          continue;
        }
        const how = ended as { error?: unknown; abrupt: boolean } | null;
        if (how !== null) {
          if (how.error !== undefined) throw how.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } catch (error) {
      const how = ended as { error?: unknown; abrupt: boolean } | null;
      throw how?.abrupt === true ? how.error : error;
    } finally {
      subscription.unsubscribe();
    }
  };
}
