/**
 * `fromIterable(values, writer?)`: a source process that writes every value of an iterable or
 * async iterable, pulling the next value only once the channel has taken (or buffered) the
 * previous one; then it retires. Without a writer it makes the channel and returns its reader;
 * with one it returns its promise. If the iterable throws, the channel is poisoned with that error.
 * If every reader leaves, the iterator is closed (`return()`), so a generator's `finally` runs.
 */
import { WriterEnd, type Reader, type Writer } from '../core/ends.js';
import { expectOptions, isWriter } from './check.js';
import { channelFor, launchOne, type OutputOptions } from './operator.js';

export function fromIterable<T>(values: Iterable<T> | AsyncIterable<T>, options?: OutputOptions): Reader<T>;
export function fromIterable<T>(values: Iterable<T> | AsyncIterable<T>, writer: Writer<T>): Promise<void>;
export function fromIterable<T>(values: Iterable<T> | AsyncIterable<T>, to?: Writer<T> | OutputOptions): Reader<T> | Promise<void> {
  const where = 'fromIterable(values, writer?)';
  const sync = isIterable(values);
  if (!sync && !isAsyncIterable(values)) throw new TypeError(`${where}: values must be an iterable or an async iterable, got ${values === null ? 'null' : typeof values}`);
  let writer: Writer<T>;
  let reader: Reader<T> | null = null;
  if (isWriter(to)) writer = to as Writer<T>;
  else {
    expectOptions(where, to);
    const c = channelFor<T>('fromIterable', to as OutputOptions | undefined);
    writer = c.writer();
    reader = c.reader();
  }
  const body = sync ? () => pullSync(values, writer) : () => pullAsync(values, writer);
  const done = launchOne('fromIterable', [], [writer], body);
  return reader ?? done;
}

/**
 * A core end is asked synchronously whether the channel takes a value now (no promise per
 * value); a proxy's tryWrite is a round trip to another thread, so proxies get plain writes
 * (which resolve at once while the proxy has credit).
 */
async function pullSync<T>(values: Iterable<T>, writer: Writer<T>): Promise<void> {
  const core = writer instanceof WriterEnd;
  for (const value of values) {
    if (core) {
      const now = writer.tryWrite(value);
      if (now.ok) continue;
      if (now.reason === 'retired') return;
    }
    await writer.write(value);
  }
}

async function pullAsync<T>(values: AsyncIterable<T>, writer: Writer<T>): Promise<void> {
  for await (const value of values) await writer.write(value);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && value !== undefined && typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && value !== undefined && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}
