/**
 * Codec faults at a home: bytes of a channel that do not decode here, or a value that cannot be
 * encoded (or sent) here. The values are lost, so the channel is poisoned with the error as its
 * reason — everyone using it learns of it — and the station is told, since it is a real error (a
 * run fails with it), not a shutdown.
 */
import { CodecError, decodeBatch, encodeBatch } from '../codec/codec.js';
import { batchBytes } from '../codec/transfer.js';
import type { PoisonError } from '../core/errors.js';
import { FrameTooLargeError } from './errors.js';
import type { HomeChannel } from './home-channels.js';

/** What went wrong, and the poison it caused. */
export interface Fault {
  readonly error: Error;
  readonly poison: PoisonError;
}

function fault(ch: HomeChannel, error: Error, report: (error: Error) => void): Fault {
  report(error);
  return { error, poison: ch.core.poison(error, { channel: ch.core.name }) };
}

/** The values of a batch received for `ch`, or the fault. */
export function decodeValues(ch: HomeChannel, data: Uint8Array, report: (error: Error) => void): unknown[] | Fault {
  try {
    return decodeBatch(ch.codec, data);
  } catch (cause) {
    return fault(ch, new CodecError(ch.core.name, ch.codec.name, 'decode', cause), report);
  }
}

/**
 * `values` of `ch` encoded as batches of at most `maxBytes` each (a batch too big is split), or the
 * fault: a value the codec cannot carry, or one that alone does not fit. Of the first `movable`
 * values (those handed over, not lent), the ones marked to be moved are moved (codec/transfer.ts).
 */
export function encodeValues(ch: HomeChannel, values: readonly unknown[], maxBytes: number, report: (error: Error) => void, movable = values.length): Uint8Array[] | Fault {
  const out: Uint8Array[] = [];
  return encodeInto(ch, values, movable, maxBytes, report, out) ?? out;
}

/** Encodes `part` into `out`, halving what does not fit; the fault, or null. */
function encodeInto(ch: HomeChannel, part: readonly unknown[], movable: number, maxBytes: number, report: (error: Error) => void, out: Uint8Array[]): Fault | null {
  let data: Uint8Array;
  try {
    data = encodeBatch(ch.codec, part, movable);
  } catch (cause) {
    return fault(ch, new CodecError(ch.core.name, ch.codec.name, 'encode', cause), report);
  }
  const bytes = batchBytes(data);
  if (bytes <= maxBytes) {
    out.push(data);
    return null;
  }
  if (part.length === 1) return fault(ch, new FrameTooLargeError('a value read', bytes, maxBytes, ch.core.name), report);
  const half = part.length >> 1;
  return encodeInto(ch, part.slice(0, half), Math.min(movable, half), maxBytes, report, out) ?? encodeInto(ch, part.slice(half), Math.max(0, movable - half), maxBytes, report, out);
}

export function isFault(x: unknown): x is Fault {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'poison' in x;
}
