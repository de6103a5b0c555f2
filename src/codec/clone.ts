/**
 * Structured clone codec: the HTML structured clone algorithm (V8's serializer), which carries
 * Map, Set, Date, RegExp, typed arrays, cycles and Errors. It fails clearly on functions and symbols.
 */
import { deserialize, serialize } from 'node:v8';
import type { Codec } from './codec.js';

export function cloneCodec<T>(): Codec<T> {
  return {
    name: 'clone',
    encode(value) {
      return serialize(value);
    },
    decode(bytes) {
      return deserialize(bytes) as T;
    },
  };
}
