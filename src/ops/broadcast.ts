/**
 * `broadcast(reader, writers, options?)`: fan-out. Every value to every writer, in order.
 *   a--b--|  →  a--b--|  (to each writer)
 * Back-pressured by the slowest output, or, with `{ laggards: 'drop' }`, by the fastest (a
 * slower output misses the values it was not ready for). An output whose readers all retired is
 * dropped; once none is left the input retires. Returns the broadcast process's promise.
 */
import type { Reader, Writer } from '../core/ends.js';
import { expectOneOf, expectOptions, expectReader, expectWriters } from './check.js';
import { fanOutBody, type Laggards } from './fan-out.js';
import { launchOne } from './operator.js';

export interface BroadcastOptions {
  /** 'wait' (default): the slowest output sets the pace. 'drop': the fastest does; slower outputs miss values. */
  readonly laggards?: Laggards;
}

export function broadcast<T>(reader: Reader<T>, writers: readonly Writer<T>[], options?: BroadcastOptions): Promise<void> {
  const where = 'broadcast(reader, writers, options)';
  expectReader(where, 'reader', reader);
  expectWriters(where, 'writers', writers);
  expectOptions(where, options);
  const laggards = options?.laggards ?? 'wait';
  expectOneOf(where, 'options.laggards', laggards, ['wait', 'drop']);
  return launchOne('broadcast', [reader], writers, fanOutBody(reader, writers, laggards));
}
