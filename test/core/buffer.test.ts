/**
 * src/core/buffer.ts: buffer specs, their validation (C1), and the Ring.
 */
import { describe, expect, it } from 'vitest';
import { dropping, fixed, overflowOf, Ring, sliding, toBufferSpec } from '../../src/core/buffer.js';
import { chan } from '../../src/index.js';

describe('buffer specs (C1)', () => {
  it('fixed(n) accepts n >= 0; dropping(n) and sliding(n) need n >= 1', () => {
    expect(fixed(0)).toEqual({ kind: 'fixed', capacity: 0 });
    expect(fixed(3)).toEqual({ kind: 'fixed', capacity: 3 });
    expect(dropping(1)).toEqual({ kind: 'dropping', capacity: 1 });
    expect(sliding(2)).toEqual({ kind: 'sliding', capacity: 2 });
  });

  it.each([
    ['fixed(-1)', () => fixed(-1), /fixed\(n\): n must be an integer >= 0, got -1/],
    ['fixed(1.5)', () => fixed(1.5), /got 1\.5/],
    ['fixed(NaN)', () => fixed(Number.NaN), /got NaN/],
    ['fixed(Infinity)', () => fixed(Number.POSITIVE_INFINITY), /got Infinity/],
    ['dropping(0)', () => dropping(0), /dropping\(n\): n must be an integer >= 1, got 0/],
    ['sliding(0)', () => sliding(0), /sliding\(n\): n must be an integer >= 1, got 0/],
    ['sliding(2.5)', () => sliding(2.5), /got 2\.5/],
  ])('%s throws RangeError with the bad value', (_, make, message) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
  });

  it('toBufferSpec: absent, 0 and fixed(0) mean rendezvous; a number n means fixed(n)', () => {
    expect(toBufferSpec(undefined)).toBeNull();
    expect(toBufferSpec(0)).toBeNull();
    expect(toBufferSpec(fixed(0))).toBeNull();
    expect(toBufferSpec(4)).toEqual({ kind: 'fixed', capacity: 4 });
    expect(toBufferSpec(sliding(3))).toEqual({ kind: 'sliding', capacity: 3 });
  });

  it('toBufferSpec re-validates hand-made specs and bad numbers', () => {
    expect(() => toBufferSpec(-2)).toThrow(RangeError);
    expect(() => toBufferSpec({ kind: 'dropping', capacity: 0 })).toThrow(/dropping\(n\)/);
    expect(() => toBufferSpec({ kind: 'fixed', capacity: 0.5 })).toThrow(/fixed\(n\)/);
  });

  it('chan({ buffer }) throws RangeError for an invalid buffer', () => {
    expect(() => chan({ buffer: -1 })).toThrow(RangeError);
    expect(() => chan({ buffer: 1.5 })).toThrow(RangeError);
    expect(() => chan({ buffer: { kind: 'sliding', capacity: 0 } })).toThrow(RangeError);
  });

  it('overflowOf maps each kind to its policy', () => {
    expect(overflowOf(fixed(1))).toBe('wait');
    expect(overflowOf(dropping(1))).toBe('drop-newest');
    expect(overflowOf(sliding(1))).toBe('drop-oldest');
  });
});

describe('Ring', () => {
  it('is FIFO and knows when it is full', () => {
    const ring = new Ring<string>(3);
    expect(ring.full).toBe(false);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    expect(ring.full).toBe(true);
    expect(ring.size).toBe(3);
    expect([ring.shift(), ring.shift()]).toEqual(['a', 'b']);
    expect(ring.full).toBe(false);
    ring.push('d');
    expect([ring.shift(), ring.shift()]).toEqual(['c', 'd']);
    expect(ring.size).toBe(0);
  });

  it('keeps order across wrap-around and growth past its initial backing array', () => {
    const ring = new Ring<number>(1000);
    const model: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so that the head wraps before and after each doubling.
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 7 + round * 5; i++) {
        ring.push(next);
        model.push(next++);
      }
      for (let i = 0; i < 3 + round; i++) expect(ring.shift()).toBe(model.shift());
      expect(ring.size).toBe(model.length);
    }
    while (model.length > 0) expect(ring.shift()).toBe(model.shift());
  });

  it('holds undefined and null as values', () => {
    const ring = new Ring<unknown>(2);
    ring.push(undefined);
    ring.push(null);
    expect(ring.size).toBe(2);
    expect(ring.shift()).toBeUndefined();
    expect(ring.shift()).toBeNull();
  });

  it('clear empties it and it is usable afterwards', () => {
    const ring = new Ring<number>(20);
    for (let i = 0; i < 15; i++) ring.push(i);
    ring.shift();
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.full).toBe(false);
    ring.push(7);
    expect(ring.shift()).toBe(7);
  });
});
