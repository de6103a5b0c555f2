/**
 * `writer.writeAll(values)`: every value of an iterable or async iterable, in order, with
 * back-pressure. One implementation over `write`/`writeMany`, shared by the core's ends and by
 * every transport's proxy writer, so they cannot drift apart.
 *
 * Invariants:
 * - a value is pulled from an iterable only once the previous one was accepted (taken or
 *   buffered), so a lazy or endless source is never read ahead of the channel;
 * - an array is already in memory: it goes as one `writeMany` (same guarantees, fewer promises);
 * - when a write fails, the iterator is closed (`return()`), and the error rejects the call.
 */
/** The options of a write (ends.ts's OpOptions; restated so this file does not import ends.ts, which imports it). */
interface WriteOptions {
  readonly signal?: AbortSignal;
}

/** What writeAll needs of a writer. */
export interface WritesValues<T> {
  write(value: T, options?: WriteOptions): Promise<void>;
  writeMany(values: readonly T[], options?: WriteOptions): Promise<void>;
}

export async function writeAllVia<T>(writer: WritesValues<T>, values: Iterable<T> | AsyncIterable<T>, options?: WriteOptions): Promise<void> {
  if (Array.isArray(values)) return writer.writeMany(values as readonly T[], options);
  if (isIterable(values)) {
    for (const value of values) await writer.write(value, options);
    return;
  }
  if (isAsyncIterable(values)) {
    for await (const value of values) await writer.write(value, options);
    return;
  }
  throw new TypeError(`writeAll(values): values must be an iterable or an async iterable, got ${describe(values)}`);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && value !== undefined && typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && value !== undefined && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? `an object without Symbol.iterator` : `${typeof value} ${String(value)}`;
}
