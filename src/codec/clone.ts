/**
 * Structured clone codec: V8's serializer (what postMessage uses). It carries what the default
 * codec does and also -0, array holes, boxed primitives and an Error's stack; cycles and shared
 * references too. A class instance would arrive as a plain object, and an Error's own properties
 * would be dropped: both are refused at the write, with the reason (docs/decisions/0004-codec-contract.md).
 */
import { deserialize, serialize } from 'node:v8';
import { binaryClasses, checkCarriable, checkEach, STANDARD_ERRORS, type Contract } from './carry.js';
import type { Codec } from './codec.js';

const CONTRACT: Contract = {
  codec: 'clone',
  classes: new Set<object>([
    Map.prototype,
    Set.prototype,
    Date.prototype,
    RegExp.prototype,
    Number.prototype,
    String.prototype,
    Boolean.prototype,
    BigInt.prototype,
    ...binaryClasses(),
    ...STANDARD_ERRORS.map((e) => e.prototype),
  ]),
  cycles: true,
  jsonOnly: false,
  refuseProtoKey: false,
  errorKeys: [],
};

export function cloneCodec<T>(): Codec<T> {
  const check = (value: unknown): void => checkCarriable(value, CONTRACT);
  return {
    name: 'clone',
    check,
    encode(value) {
      check(value);
      return serialize(value);
    },
    decode(bytes) {
      return deserialize(bytes) as T;
    },
    encodeMany(values) {
      checkEach(values, CONTRACT);
      return serialize(values);
    },
    decodeMany(bytes) {
      return deserialize(bytes) as T[];
    },
  };
}
