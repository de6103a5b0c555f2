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
 * MessagePack for the remote layer's own messages (not channel values), each a list of plain
 * values: objects, arrays, strings, numbers, booleans, null and binary. A wire message is a
 * MessagePack array of messages, joined from messages packed one by one (so a link can bound wire
 * messages by bytes). A big binary value last in a message is not copied through msgpackr: its
 * bytes are appended as they are, and copied once, into the wire message, by `join`. Each link
 * owns one packer.
 */
export interface MessagePacker {
  /**
   * Packs one message, pushing its bytes (views valid while the views packed after them are used)
   * to `parts`; returns how many bytes that is.
   */
  pack(message: readonly unknown[], parts: Uint8Array[]): number;
  /** One exactly-sized buffer holding `parts` (`size` bytes, `count` messages) as one array. */
  join(parts: readonly Uint8Array[], size: number, count: number): Uint8Array;
  /** The messages of a buffer made by join; throws on bytes that are not a MessagePack array. */
  unpackAll(bytes: Uint8Array): unknown[];
}

/** The most bytes `join` adds to its parts (an array header). */
export const JOIN_OVERHEAD = 5;

/** Binary fields this big or bigger are appended, not packed. */
const APPEND_FROM = 1024;
const EMPTY = new Uint8Array(0);

/** The header of a MessagePack `bin` of `n` bytes. */
function binHeader(n: number): Uint8Array {
  if (n < 0x100) return Uint8Array.of(0xc4, n);
  if (n < 0x10000) return Uint8Array.of(0xc5, n >> 8, n & 0xff);
  const h = new Uint8Array(5);
  h[0] = 0xc6;
  new DataView(h.buffer).setUint32(1, n);
  return h;
}

function arrayHeader(n: number): Uint8Array {
  if (n < 16) return Uint8Array.of(0x90 | n);
  if (n < 0x10000) return Uint8Array.of(0xdc, n >> 8, n & 0xff);
  const h = new Uint8Array(5);
  h[0] = 0xdd;
  new DataView(h.buffer).setUint32(1, n);
  return h;
}

export function messagePacker(): MessagePacker {
  const packr = new Packr({ useRecords: false, structuredClone: false });
  return {
    pack(message, parts) {
      const data = message[message.length - 1];
      if (!(data instanceof Uint8Array) || data.length < APPEND_FROM) {
        const bytes = packr.pack(message);
        parts.push(bytes);
        return bytes.length;
      }
      // Packed with an empty binary last (two bytes: an empty bin), which the real one replaces.
      const head = packr.pack([...message.slice(0, -1), EMPTY]);
      const header = binHeader(data.length);
      parts.push(head.subarray(0, head.length - 2), header, data);
      return head.length - 2 + header.length + data.length;
    },
    join(parts, size, count) {
      const header = arrayHeader(count);
      const out = new Uint8Array(header.length + size);
      out.set(header, 0);
      let at = header.length;
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
