/** JSON codec: UTF-8 JSON; for values that are plain JSON (no undefined, Map, Date or bigint). */
import { rejectUncarriable, type Codec } from './codec.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function jsonCodec<T>(): Codec<T> {
  return {
    name: 'json',
    encode(value) {
      rejectUncarriable(value);
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`JSON cannot carry ${String(value)}`);
      return encoder.encode(text);
    },
    decode(bytes) {
      return JSON.parse(decoder.decode(bytes)) as T;
    },
  };
}
