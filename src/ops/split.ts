/**
 * `split(reader, predicate, options?)`: two outputs, values for which the predicate is truthy
 * and the rest (core.async's split, RxJS's partition).
 *   a-b-c-|  →  [a---c-|, --b---|]   (p(b) false)
 * Returns `[yes, no]` readers; with `{ out: [yes, no] }` writes there and returns its promise.
 */
import type { Reader, Writer } from '../core/ends.js';
import { expectFunction, expectOptions, expectReader, expectWriters } from './check.js';
import { channelFor, launchOne, type OutputOptions } from './operator.js';
import { routeBody } from './route.js';

export interface SplitOptions<T> extends OutputOptions {
  /** Write into these two writers (matching, rest) instead of making channels. */
  readonly out?: readonly [Writer<T>, Writer<T>];
}

export function split<T>(reader: Reader<T>, predicate: (value: T) => unknown, options: SplitOptions<T> & { readonly out: readonly [Writer<T>, Writer<T>] }): Promise<void>;
export function split<T>(reader: Reader<T>, predicate: (value: T) => unknown, options?: OutputOptions): [Reader<T>, Reader<T>];
export function split<T>(reader: Reader<T>, predicate: (value: T) => unknown, options?: SplitOptions<T>): [Reader<T>, Reader<T>] | Promise<void> {
  const where = 'split(reader, predicate, options)';
  expectReader(where, 'reader', reader);
  expectFunction(where, 'predicate', predicate);
  expectOptions(where, options);
  const choose = (value: T): number => (predicate(value) ? 0 : 1);
  if (options?.out !== undefined) {
    expectWriters(where, 'options.out', options.out, 2);
    if (options.out.length !== 2) throw new RangeError(`${where}: options.out must hold exactly 2 writers [matching, rest], got ${options.out.length}`);
    const writers = options.out;
    return launchOne('split', [reader], writers, routeBody(where, reader, writers, choose));
  }
  const base = options?.name ?? `split(${reader.channelName})`;
  const channels = [channelFor<T>(`${base}[yes]`, { ...options, name: undefined }), channelFor<T>(`${base}[no]`, { ...options, name: undefined })];
  const writers = channels.map((c) => c.writer());
  const readers = channels.map((c) => c.reader()) as [Reader<T>, Reader<T>];
  launchOne('split', [reader], writers, routeBody(where, reader, writers, choose));
  return readers;
}
