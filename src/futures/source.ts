/**
 * The items of a map, whatever they come as — an array, an iterable, an async iterable or a
 * channel Reader — pulled a few at a time so a map never holds more than its window.
 *
 * A pull returns at least one item, or null at the end. From an async iterable it returns what
 * came during one turn of the event loop (so a slow stream is not held back to fill a chunk); from
 * a Reader, what `readMany` gives.
 */
import type { Reader } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { invalid } from './check.js';

/** What a map accepts as its items. */
export type Items<T> = readonly T[] | Iterable<T> | AsyncIterable<T> | Reader<T>;

export interface Source<T> {
  pull(max: number, signal: AbortSignal): T[] | null | Promise<T[] | null>;
  /** The map is done with the source early (stops an iterator). */
  close(): void;
}

function isReader<T>(items: unknown): items is Reader<T> {
  return typeof items === 'object' && items !== null && typeof (items as Reader<T>).readMany === 'function' && typeof (items as Reader<T>).channelName === 'string';
}

class ArraySource<T> implements Source<T> {
  private at = 0;
  constructor(private readonly items: readonly T[]) {}

  pull(max: number): T[] | null {
    if (this.at >= this.items.length) return null;
    const end = Math.min(this.items.length, this.at + max);
    const out = this.items.slice(this.at, end);
    this.at = end;
    return out;
  }

  close(): void {}
}

class IterableSource<T> implements Source<T> {
  private done = false;
  constructor(private readonly it: Iterator<T>) {}

  pull(max: number): T[] | null {
    if (this.done) return null;
    const out: T[] = [];
    while (out.length < max) {
      const r = this.it.next();
      if (r.done === true) {
        this.done = true;
        break;
      }
      out.push(r.value);
    }
    return out.length === 0 ? null : out;
  }

  close(): void {
    if (!this.done) this.it.return?.();
    this.done = true;
  }
}

const TURN = Symbol('turn');

class AsyncSource<T> implements Source<T> {
  private next: Promise<IteratorResult<T>> | null = null;
  private done = false;
  constructor(private readonly it: AsyncIterator<T>) {}

  async pull(max: number): Promise<T[] | null> {
    const out: T[] = [];
    const turn = new Promise<typeof TURN>((resolve) => setImmediate(() => resolve(TURN)));
    while (!this.done && out.length < max) {
      this.next ??= this.it.next();
      const r = out.length === 0 ? await this.next : await Promise.race([this.next, turn]);
      if (r === TURN) break;
      this.next = null;
      if (r.done === true) this.done = true;
      else out.push(r.value);
    }
    return out.length === 0 ? null : out;
  }

  close(): void {
    if (!this.done) void Promise.resolve(this.it.return?.()).catch(() => {});
    this.done = true;
  }
}

class ReaderSource<T> implements Source<T> {
  constructor(private readonly reader: Reader<T>) {}

  async pull(max: number, signal: AbortSignal): Promise<T[] | null> {
    try {
      return await this.reader.readMany(max, { signal });
    } catch (error) {
      if (error instanceof RetiredError && error.why === 'writers-retired') return null;
      throw error;
    }
  }

  close(): void {}
}

/** A source for `items`; throws (naming `call`) for anything else. */
export function sourceOf<T>(call: string, items: unknown): Source<T> {
  if (Array.isArray(items)) return new ArraySource(items as T[]);
  if (isReader<T>(items)) return new ReaderSource(items);
  if (typeof items === 'object' && items !== null && typeof (items as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function') {
    return new AsyncSource((items as AsyncIterable<T>)[Symbol.asyncIterator]());
  }
  if (items !== null && items !== undefined && typeof (items as Partial<Iterable<T>>)[Symbol.iterator] === 'function') {
    return new IterableSource((items as Iterable<T>)[Symbol.iterator]());
  }
  throw invalid('type', call, 'items', items, 'an array, an iterable, an async iterable or a channel Reader');
}
