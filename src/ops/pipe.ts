/**
 * `pipe(reader, writer)`: every value from one channel into another, in order, in batches;
 * when the input ends the writer retires. Returns the pipe process's promise (resolves when it
 * has ended, normally or by a termination; rejects with a real error, as par does).
 *   a--b--|  →  a--b--|
 */
import type { Reader, Writer } from '../core/ends.js';
import { expectReader, expectWriter } from './check.js';
import { launchOne } from './operator.js';
import { pumpBody } from './pump.js';

export function pipe<T>(reader: Reader<T>, writer: Writer<T>): Promise<void> {
  expectReader('pipe(reader, writer)', 'reader', reader);
  expectWriter('pipe(reader, writer)', 'writer', writer);
  return launchOne('pipe', [reader], [writer], pumpBody(reader, writer));
}
