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
