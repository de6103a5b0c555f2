/**
 * `partition(reader, n, key, options?)`: n outputs; each value goes to output `key(value)`
 * (an integer in [0, n)). split is partition into two by a predicate.
 *   a-b-c-|  →  [a---c-|, --b---|]   (key(a) = key(c) = 0, key(b) = 1)
 * Returns the n readers; with `{ out: writers }` writes there and returns its promise.
 */
import type { Reader, Writer } from '../core/ends.js';
import { expectFunction, expectInteger, expectOptions, expectReader, expectWriters } from './check.js';
import { channelFor, launchOne, type OutputOptions } from './operator.js';
import { routeBody } from './route.js';

export interface PartitionOptions<T> extends OutputOptions {
  /** Write into these n writers instead of making channels. */
  readonly out?: readonly Writer<T>[];
}

export function partition<T>(reader: Reader<T>, n: number, key: (value: T) => number, options: PartitionOptions<T> & { readonly out: readonly Writer<T>[] }): Promise<void>;
export function partition<T>(reader: Reader<T>, n: number, key: (value: T) => number, options?: OutputOptions): Reader<T>[];
export function partition<T>(reader: Reader<T>, n: number, key: (value: T) => number, options?: PartitionOptions<T>): Reader<T>[] | Promise<void> {
  const where = 'partition(reader, n, key, options)';
  expectReader(where, 'reader', reader);
  expectInteger(where, 'n', n, 1);
  expectFunction(where, 'key', key);
  expectOptions(where, options);
  if (options?.out !== undefined) {
    expectWriters(where, 'options.out', options.out, n);
    if (options.out.length !== n) throw new RangeError(`${where}: options.out must hold exactly n = ${n} writers, got ${options.out.length}`);
    return launchOne('partition', [reader], options.out, routeBody(where, reader, options.out, key));
  }
  const base = options?.name ?? `partition(${reader.channelName})`;
  const channels = Array.from({ length: n }, (_, i) => channelFor<T>(`${base}[${i}]`, { ...options, name: undefined }));
  const writers = channels.map((c) => c.writer());
  const readers = channels.map((c) => c.reader());
  launchOne('partition', [reader], writers, routeBody(where, reader, writers, key));
  return readers;
}
