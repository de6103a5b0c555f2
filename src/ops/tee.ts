/**
 * `tee(reader, n = 2, options?)`: broadcast into n new channels; returns their readers.
 *   a--b--|  →  [a--b--|, a--b--|]
 * Same pacing as broadcast (`laggards`); each new channel gets `buffer` (default rendezvous).
 */
import type { Reader } from '../core/ends.js';
import { expectInteger, expectOneOf, expectOptions, expectReader } from './check.js';
import { fanOutBody, type Laggards } from './fan-out.js';
import { channelFor, launchOne, type OutputOptions } from './operator.js';

export interface TeeOptions extends OutputOptions {
  readonly laggards?: Laggards;
}

export function tee<T>(reader: Reader<T>, n = 2, options?: TeeOptions): Reader<T>[] {
  const where = 'tee(reader, n, options)';
  expectReader(where, 'reader', reader);
  expectInteger(where, 'n', n, 1);
  expectOptions(where, options);
  const laggards = options?.laggards ?? 'wait';
  expectOneOf(where, 'options.laggards', laggards, ['wait', 'drop']);
  const channels = Array.from({ length: n }, (_, i) => channelFor<T>(`${options?.name ?? `tee(${reader.channelName})`}[${i}]`, { ...options, name: undefined }));
  const writers = channels.map((c) => c.writer());
  const readers = channels.map((c) => c.reader());
  launchOne('tee', [reader], writers, fanOutBody(reader, writers, laggards));
  return readers;
}
