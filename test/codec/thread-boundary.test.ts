/**
 * The default codec's contract across a real thread boundary (channels living in a worker, used
 * here through proxies): a Map with object keys arrives as that Map, a cycle as a cycle, and a
 * class instance fails the write with a CodecError naming the channel and the class.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecError } from '../../src/index.js';
import { startRemoteHome, type RemoteHome } from '../../src/testing/index.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

let home: RemoteHome;
beforeAll(async () => {
  home = await startRemoteHome();
});
afterAll(async () => {
  await home.dispose();
});

describe('the default codec across threads', () => {
  it('a Map with object keys, a Set, a Date, a bigint and a cycle arrive as sent', async () => {
    const c = home.chan<Record<string, unknown>>({ name: 'shapes' });
    const w = c.writer();
    const r = c.reader();
    const value: Record<string, unknown> = { m: new Map<unknown, unknown>([[{ id: 1 }, 'one'], [2, 'two']]), s: new Set([1, 'a']), d: new Date(5), n: 2n ** 70n };
    value['self'] = value;
    const [, got] = await Promise.all([w.write(value), r.read()]);
    expect(got['m']).toBeInstanceOf(Map);
    expect([...(got['m'] as Map<unknown, unknown>)]).toEqual([[{ id: 1 }, 'one'], [2, 'two']]);
    expect(got['s']).toEqual(new Set([1, 'a']));
    expect(got['d']).toEqual(new Date(5));
    expect(got['n']).toBe(2n ** 70n);
    expect(got['self']).toBe(got);
  });

  it('a class instance fails the write with CodecError, naming the channel and the class; nothing is sent', async () => {
    const c = home.chan<unknown>({ name: 'points' });
    const w = c.writer();
    const r = c.reader();
    const error = (await w.write({ at: new Point(1, 2) }).catch((e: unknown) => e)) as CodecError;
    expect(error).toBeInstanceOf(CodecError);
    expect(error.channel).toBe('points');
    expect(error.direction).toBe('encode');
    expect(error.message).toMatch(/^codec "msgpack" cannot carry a value written to channel "points": a Point \(at value\.at\)/);
    await home.settle();
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' });
  });
});
