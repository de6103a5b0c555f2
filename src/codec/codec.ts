/**
 * Codecs: how a channel's values cross a thread or host boundary. A codec is two methods —
 * encode to bytes, decode from bytes — plus optional batch forms that a transport uses when it
 * moves many values at once (one buffer for a whole batch is what makes streams fast).
 *
 * Contract: decode(encode(v)) is equal to v for every value the codec accepts; encode throws
 * for a value it cannot carry (never encodes it as something else). What the built-in codecs
 * carry is in docs/decisions/0004-codec-contract.md.
 */
import { CspflowError } from '../core/errors.js';
import { attach, attached, joinMoved, splitMoved } from './transfer.js';

export interface Codec<T> {
  /** For messages: `msgpack`, `clone`, `json`, or a user's name. */
  readonly name: string;
  /**
   * Throws, saying why, for a value `encode` would refuse. A transport that encodes later than
   * the write (a batch sent on credit) calls it at the write, so the write still fails. Optional:
   * without it, a value is known to be refused only when it is encoded.
   */
  check?(value: T): void;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /** Encodes several values into one buffer; default: encode of the array. */
  encodeMany?(values: readonly T[]): Uint8Array;
  /** The inverse of encodeMany. */
  decodeMany?(bytes: Uint8Array): T[];
}

/** A value could not be encoded, or bytes could not be decoded, for a channel. */
export class CodecError extends CspflowError {
  override readonly name = 'CodecError';
  readonly code = 'ERR_CSPFLOW_CODEC';
  readonly channel: string;
  readonly codec: string;
  readonly direction: 'encode' | 'decode';

  constructor(channel: string, codec: string, direction: 'encode' | 'decode', cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const what = direction === 'encode' ? 'cannot carry a value written to' : 'could not decode a frame of';
    super(`codec "${codec}" ${what} channel "${channel}": ${why}`, { cause });
    this.channel = channel;
    this.codec = codec;
    this.direction = direction;
  }
}

/**
 * Encodes a batch with the codec's batch form when it has one. Of the first `movable` values,
 * those marked by `transfer` are left out of the bytes and ride beside them (transfer.ts); the
 * others (a value lent, not handed over, say) are encoded, so copied.
 */
export function encodeBatch<T>(codec: Codec<T>, values: readonly T[], movable = values.length): Uint8Array {
  const split = splitMoved(values, movable);
  if (split === null) return encodeAll(codec, values);
  const data = encodeAll(codec, split.rest as T[]);
  attach(data, split.moved);
  return data;
}

function encodeAll<T>(codec: Codec<T>, values: readonly T[]): Uint8Array {
  if (codec.encodeMany !== undefined) return codec.encodeMany(values);
  return (codec as unknown as Codec<readonly T[]>).encode(values);
}

/** Decodes a batch made by encodeBatch (with the values moved beside it put back in place). */
export function decodeBatch<T>(codec: Codec<T>, bytes: Uint8Array): T[] {
  const values = codec.decodeMany !== undefined ? codec.decodeMany(bytes) : (codec as unknown as Codec<T[]>).decode(bytes);
  if (!Array.isArray(values)) throw new TypeError('a batch frame did not decode to an array');
  const moved = attached(bytes);
  return moved === undefined ? values : (joinMoved(values, moved) as T[]);
}

/**
 * Throws TypeError for the first value in `value` that no codec here can carry faithfully: a
 * function or a symbol (msgpackr would silently write `undefined` for a function).
 */
export function rejectUncarriable(value: unknown, depth = 0): void {
  const type = typeof value;
  if (type === 'function') throw new TypeError('a function cannot cross a thread boundary');
  if (type === 'symbol') throw new TypeError('a symbol cannot cross a thread boundary');
  if (type !== 'object' || value === null || depth > 64) return;
  if (ArrayBuffer.isView(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol') rejectUncarriable(item, depth + 1);
    }
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      rejectUncarriable(k, depth + 1);
      rejectUncarriable(v, depth + 1);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) rejectUncarriable(v, depth + 1);
    return;
  }
  for (const key of Object.keys(value as object)) rejectUncarriable((value as Record<string, unknown>)[key], depth + 1);
}
