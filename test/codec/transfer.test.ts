/**
 * `transfer` at the codec seam: a batch's marked values stay out of the codec's bytes and ride
 * beside them, in their places; decoding puts them back (marked again, so a home relaying them
 * moves them on); values that may not move (lent, or an alt's offer) go through the codec.
 */
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../src/codec/codec.js';
import { jsonCodec, msgpackCodec } from '../../src/codec/index.js';
import { attached, batchBytes, isMovable, transfer } from '../../src/codec/transfer.js';

describe('a batch with moved values', () => {
  it('leaves them out of the codec’s bytes and puts them back in their places, marked movable', () => {
    const codec = msgpackCodec<unknown>();
    const a = transfer(new Uint8Array(100_000).fill(7));
    const b = transfer(new Float64Array([1, 2]));
    const data = encodeBatch(codec, ['x', a, 3, b]);
    expect(data.length).toBeLessThan(100);
    expect(attached(data)?.map((m) => [m.at, m.kind])).toEqual([
      [1, 'Uint8Array'],
      [3, 'Float64Array'],
    ]);
    expect(batchBytes(data)).toBe(data.length + 100_000 + 16);
    const back = decodeBatch(codec, data);
    expect(back[0]).toBe('x');
    expect(back[2]).toBe(3);
    expect(back[1]).toBeInstanceOf(Uint8Array);
    expect((back[1] as Uint8Array).buffer).toBe(a.buffer);
    expect([...(back[3] as Float64Array)]).toEqual([1, 2]);
    expect(isMovable(back[1])).toBe(true);
  });

  it('moves only the first `movable` values: the rest go through the codec (a copy)', () => {
    const codec = msgpackCodec<unknown>();
    const taken = transfer(new Uint8Array([1]));
    const lent = transfer(new Uint8Array([2]));
    const data = encodeBatch(codec, [taken, lent], 1);
    expect(attached(data)?.map((m) => m.at)).toEqual([0]);
    const back = decodeBatch(codec, data) as Uint8Array[];
    expect([...(back[1] as Uint8Array)]).toEqual([2]);
    expect((back[1] as Uint8Array).buffer).not.toBe(lent.buffer);
    expect(attached(encodeBatch(codec, [lent], 0))).toBeUndefined();
  });

  it('bypasses the codec: the json codec, which cannot carry binary, carries a moved buffer', () => {
    const codec = jsonCodec<unknown>();
    const bytes = transfer(new Uint8Array([9, 8, 7]));
    expect(() => encodeBatch(codec, [new Uint8Array([1])])).toThrow();
    const back = decodeBatch(codec, encodeBatch(codec, [bytes, { n: 1 }]));
    expect(back).toEqual([bytes, { n: 1 }]);
  });
});
