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
 * strings, numbers, booleans, null and binary. A wire message is a MessagePack array of messages,
 * joined from messages packed one by one (so a link can bound wire messages by bytes). Each link
 * owns one packer.
 */
export interface MessagePacker {
  /** The bytes of one message: a view that stays valid while the views packed after it are used. */
  pack(message: unknown): Uint8Array;
  /** One exactly-sized buffer holding `parts` (packed messages, `size` bytes in all) as one array. */
  join(parts: readonly Uint8Array[], size: number): Uint8Array;
  /** The messages of a buffer made by join; throws on bytes that are not a MessagePack array. */
  unpackAll(bytes: Uint8Array): unknown[];
}

/** The most bytes `join` adds to its parts (an array header). */
export const JOIN_OVERHEAD = 5;

export function messagePacker(): MessagePacker {
  const packr = new Packr({ useRecords: false, structuredClone: false });
  return {
    pack: (message) => packr.pack(message),
    join(parts, size) {
      const n = parts.length;
      const header = n < 16 ? 1 : n < 0x10000 ? 3 : 5;
      const out = new Uint8Array(header + size);
      if (header === 1) out[0] = 0x90 | n;
      else if (header === 3) {
        out[0] = 0xdc;
        out[1] = n >> 8;
        out[2] = n & 0xff;
      } else {
        out[0] = 0xdd;
        new DataView(out.buffer).setUint32(1, n);
      }
      let at = header;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    },
    unpackAll(bytes) {
      const value: unknown = packr.unpack(bytes);
      if (!Array.isArray(value)) throw new TypeError('a wire message must be a MessagePack array of messages');
      return value;
    },
  };
}
