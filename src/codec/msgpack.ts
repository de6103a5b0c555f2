/**
 * The default codec: MessagePack through msgpackr (the only file that imports it). Carries
 * primitives (undefined included), arrays, plain objects, Date, bigint, Map, Set and binary;
 * rejects functions and symbols at the write rather than silently dropping them.
 */
import { Packr } from 'msgpackr';
import { rejectUncarriable, type Codec } from './codec.js';

export function msgpackCodec<T>(): Codec<T> {
  const packr = new Packr({ useRecords: false, moreTypes: true, structuredClone: false });
  const pack = (value: unknown): Uint8Array => {
    rejectUncarriable(value);
    // msgpackr returns a view into a reused buffer: copy it so the bytes can be sent on.
    return Uint8Array.prototype.slice.call(packr.pack(value));
  };
  return {
    name: 'msgpack',
    encode: pack,
    decode: (bytes) => packr.unpack(bytes) as T,
    encodeMany: pack,
    decodeMany: (bytes) => packr.unpack(bytes) as T[],
  };
}

/**
 * MessagePack for the remote layer's own messages (not channel values): plain objects, arrays,
 * strings, numbers, booleans, null and binary. Each link owns one.
 */
export interface MessagePacker {
  /** The bytes of `message`: a view that stays valid only until the next call. */
  pack(message: unknown): Uint8Array;
  /** Every value in `bytes`, which hold values packed back to back; throws on bytes that are not MessagePack. */
  unpackAll(bytes: Uint8Array): unknown[];
}

export function messagePacker(): MessagePacker {
  const packr = new Packr({ useRecords: false, structuredClone: false });
  return {
    pack: (message) => packr.pack(message),
    unpackAll: (bytes) => packr.unpackMultiple(bytes) as unknown[],
  };
}
