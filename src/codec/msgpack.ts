/**
 * The default codec: MessagePack through msgpackr (the only file that imports it), in its
 * structured-clone mode. What it carries, and what it refuses at the write, is the contract in
 * docs/decisions/0004-codec-contract.md: primitives (undefined and bigint included; -0 arrives as
 * 0), arrays, plain objects, Map (any keys), Set, Date, RegExp, binary (ArrayBuffer, DataView,
 * typed arrays, Buffer), Errors of the standard classes (name, message, cause), cycles and shared
 * references. Anything else — a class instance, a function, a symbol — fails the write with the
 * reason, instead of arriving changed.
 */
import { Packr } from 'msgpackr';
import { binaryClasses, checkCarriable, checkEach, STANDARD_ERRORS, type Contract } from './carry.js';
import type { Codec } from './codec.js';

const CONTRACT: Contract = {
  codec: 'msgpack',
  classes: new Set<object>([Map.prototype, Set.prototype, Date.prototype, RegExp.prototype, ...binaryClasses(), ...STANDARD_ERRORS.map((e) => e.prototype)]),
  cycles: true,
  jsonOnly: false,
  // msgpackr renames an own "__proto__" key (to keep decoding safe from prototype pollution).
  refuseProtoKey: true,
  errorKeys: ['name'],
};

export function msgpackCodec<T>(): Codec<T> {
  // Records (the default) keep objects and Maps apart; structuredClone carries cycles, shared
  // references and the extra types; large bigints use msgpackr's bigint extension.
  const packr = new Packr({ structuredClone: true, useBigIntExtension: true });
  const check = (value: unknown): void => checkCarriable(value, CONTRACT);
  // msgpackr returns a view into a reused buffer: copy it so the bytes can be sent on.
  const pack = (value: unknown): Uint8Array => Uint8Array.prototype.slice.call(packr.pack(value));
  return {
    name: 'msgpack',
    check,
    encode(value) {
      check(value);
      return pack(value);
    },
    decode: (bytes) => packr.unpack(bytes) as T,
    encodeMany(values) {
      // Each value is checked on its own, so a refusal says where in that value.
      checkEach(values, CONTRACT);
      return pack(values);
    },
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
