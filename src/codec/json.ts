/**
 * JSON codec: UTF-8 JSON, for values that are JSON already — null, booleans, finite numbers,
 * strings, arrays and plain objects. Anything JSON.stringify would drop or change (undefined, NaN,
 * a Date, a Map, a bigint, a cycle, an array hole) fails the write with the reason
 * (docs/decisions/0004-codec-contract.md); -0 arrives as 0.
 */
import { checkCarriable, checkEach, type Contract } from './carry.js';
import type { Codec } from './codec.js';

const CONTRACT: Contract = { codec: 'json', classes: new Set(), cycles: false, jsonOnly: true, refuseProtoKey: false, errorKeys: [] };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function jsonCodec<T>(): Codec<T> {
  const check = (value: unknown): void => checkCarriable(value, CONTRACT);
  return {
    name: 'json',
    check,
    encode(value) {
      check(value);
      return encoder.encode(JSON.stringify(value));
    },
    decode(bytes) {
      return JSON.parse(decoder.decode(bytes)) as T;
    },
    encodeMany(values) {
      checkEach(values, CONTRACT);
      return encoder.encode(JSON.stringify(values));
    },
    decodeMany(bytes) {
      return JSON.parse(decoder.decode(bytes)) as T[];
    },
  };
}
