/**
 * Bridges to Node streams (object mode), with back-pressure both ways. The only file that
 * imports `node:stream`.
 *
 * - `toReadable(reader, { highWaterMark })`: a Readable fed by a process (`toReadable`) that
 *   reads only when the stream asks (`_read`), at most what fills it to its highWaterMark.
 *   End-of-stream ends it; poison destroys it with the PoisonError; destroying it retires the
 *   reader (or poisons it, when destroyed with an error), withdrawing a pending read (A2).
 * - `fromReadable(readable, writer?)`: a process (`fromReadable`) that takes a chunk only once
 *   the channel has taken the previous one, so a full channel leaves the chunks in the stream's
 *   buffer (up to its highWaterMark) and the stream pauses its source. The stream's end retires
 *   the channel; a stream error poisons it (reason: the error); readers leaving destroy the
 *   stream; poison destroys it with the PoisonError.
 *
 * A Readable cannot carry `null` (it means end-of-stream): toReadable fails on a null value
 * with a TypeError, which poisons the channel.
 */
import { Readable } from 'node:stream';
import { PoisonError } from '../core/errors.js';
import type { Reader, Writer } from '../core/ends.js';
import { expectInteger, expectOptions, expectReader, isWriter } from './check.js';
import { channelFor, isEndOfStream, launchOne, type OutputOptions } from './operator.js';

export interface ToReadableOptions {
  /** The Readable's highWaterMark, in values (object mode). Default 16, as Node's. */
  readonly highWaterMark?: number;
}

export function toReadable<T>(reader: Reader<T>, options?: ToReadableOptions): Readable {
  const where = 'toReadable(reader, options)';
  expectReader(where, 'reader', reader);
  expectOptions(where, options);
  const highWaterMark = options?.highWaterMark ?? 16;
  expectInteger(where, 'options.highWaterMark', highWaterMark, 1);
  const stopping = new AbortController();
  let wanted = false;
  let wake: (() => void) | null = null;
  const readable = new Readable({
    objectMode: true,
    highWaterMark,
    read() {
      wanted = true;
      const w = wake;
      wake = null;
      w?.();
    },
    destroy(error, callback) {
      stopping.abort(error ?? new Error('the Readable was destroyed'));
      if (error === null) reader.retire();
      else if (!(error instanceof PoisonError)) reader.poison(error);
      wake?.();
      callback(error);
    },
  });
  launchOne('toReadable', [reader], [], async () => {
    const signal = stopping.signal;
    while (!signal.aborted) {
      if (!wanted) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      wanted = false;
      let batch: T[];
      try {
        batch = await reader.readMany(Math.max(1, highWaterMark - readable.readableLength), { signal });
      } catch (error) {
        if (signal.aborted) return;
        if (isEndOfStream(error)) readable.push(null);
        else readable.destroy(error as Error);
        return;
      }
      for (const value of batch) {
        if (value === null) {
          const error = new TypeError(`toReadable: channel "${reader.channelName}" carried null, which a Readable cannot (null ends a stream)`);
          readable.destroy(error);
          throw error;
        }
        readable.push(value);
      }
    }
  });
  return readable;
}

export function fromReadable<T = unknown>(readable: Readable, options?: OutputOptions): Reader<T>;
export function fromReadable<T = unknown>(readable: Readable, writer: Writer<T>): Promise<void>;
export function fromReadable<T>(readable: Readable, to?: Writer<T> | OutputOptions): Reader<T> | Promise<void> {
  const where = 'fromReadable(readable, writer?)';
  if (!(readable instanceof Readable)) throw new TypeError(`${where}: readable must be a Node Readable stream, got ${readable === null ? 'null' : typeof readable}`);
  let writer: Writer<T>;
  let reader: Reader<T> | null = null;
  if (isWriter(to)) writer = to as Writer<T>;
  else {
    expectOptions(where, to);
    const c = channelFor<T>('fromReadable', to as OutputOptions | undefined);
    writer = c.writer();
    reader = c.reader();
  }
  const done = launchOne('fromReadable', [], [writer], async () => {
    for await (const chunk of readable) {
      try {
        await writer.write(chunk as T);
      } catch (error) {
        if (error instanceof PoisonError) readable.destroy(error);
        throw error;
      }
    }
  });
  return reader ?? done;
}
