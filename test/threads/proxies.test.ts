/**
 * Proxy ends across a thread boundary (channels living in a worker, ends used here): what the
 * conformance suite does not say on its own — codecs at the boundary, credit and back-pressure,
 * alts over proxies (in one worker, or spanning threads), and errors keeping their identity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alt, chan, input, PoisonError, priAlt, timeout } from '../../src/index.js';
import { CodecError } from '../../src/codec/codec.js';
import { startRemoteHome, type RemoteHome } from '../../src/testing/remote-home.js';

let home: RemoteHome;
beforeAll(async () => {
  home = await startRemoteHome();
});
afterAll(async () => {
  await home.dispose();
});

describe('values cross through the codec', () => {
  it('a value the codec cannot carry fails the write with CodecError naming the channel; nothing is sent', async () => {
    const c = home.chan<unknown>({ name: 'carry', buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const error = (await w.write({ f: () => 1 }).catch((e: unknown) => e)) as CodecError;
    expect(error).toBeInstanceOf(CodecError);
    expect(error.channel).toBe('carry');
    expect(error.message).toMatch(/carry/);
    await home.settle();
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' });
    await w.write({ ok: [1, 'two', null, undefined] });
    expect(await r.read()).toEqual({ ok: [1, 'two', null, undefined] });
  });

  it('the same holds on credit (a buffered channel with room) and for tryWrite', async () => {
    const c = home.chan<unknown>({ name: 'carry-credit', buffer: 8 });
    const w = c.writer();
    await w.write(1); // the answer grants credit
    await expect(w.write(Symbol('s'))).rejects.toBeInstanceOf(CodecError);
    expect(() => w.tryWrite(() => 0)).toThrow(CodecError);
  });

  it('the clone codec carries a Map and a Date', async () => {
    const c = home.chan<unknown>({ name: 'clone', codec: 'clone' });
    const w = c.writer();
    const r = c.reader();
    const value = { m: new Map([[1, 'a']]), d: new Date(0) };
    const [, got] = await Promise.all([w.write(value), r.read()]);
    expect(got).toEqual(value);
  });
});

describe('back-pressure across the boundary', () => {
  it('a writer on credit never gets ahead of the buffer: fixed(4) takes 4 writes, the 5th waits', async () => {
    const c = home.chan<number>({ buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const done: number[] = [];
    for (let i = 0; i < 4; i++) await w.write(i).then(() => done.push(i));
    const fifth = w.write(4).then(() => done.push(4));
    await home.settle();
    expect(done).toEqual([0, 1, 2, 3]);
    expect(await r.read()).toBe(0);
    await fifth;
    expect(await r.readMany(10)).toEqual([1, 2, 3, 4]);
  });
});

describe('alt over proxies', () => {
  it('an alt whose channel guards all live in one worker runs there and commits exactly one', async () => {
    const a = home.chan<number>({ name: 'a', buffer: 1 });
    const b = home.chan<number>({ name: 'b', buffer: 1 });
    const ar = a.reader();
    const br = b.reader();
    await a.writer().write(1);
    await b.writer().write(2);
    const first = await alt([input(ar), input(br)]);
    const second = await alt([input(ar), input(br), timeout(1000)]);
    expect([first.index, second.index].sort()).toEqual([0, 1]);
    expect(await alt([input(ar), input(br), timeout(0)])).toEqual({ index: 2, value: undefined });
  });

  it('an alt mixing a proxy with an end of this thread commits exactly one (alt across places)', async () => {
    const remote = home.chan<number>({ name: 'remote', buffer: 1 });
    const here = chan<number>({ name: 'here', buffer: 1 });
    await remote.writer().write(1);
    await home.settle();
    expect(await priAlt([input(here.reader()), input(remote.reader())])).toEqual({ index: 1, value: 1 });
    await here.writer().write(2);
    expect(await priAlt([input(remote.reader()), input(here.reader()), timeout(1000)])).toEqual({ index: 1, value: 2 });
  });
});

describe('errors keep their identity', () => {
  it('poison from this thread comes back with the very reason object; a rebuilt one keeps class and fields', async () => {
    const c = home.chan<number>({ name: 'p' });
    const w = c.writer();
    const r = c.reader();
    const reason = Object.assign(new RangeError('too far'), { code: 7 });
    const pending = r.read().catch((e: unknown) => e);
    w.poison(reason);
    const error = (await pending) as PoisonError;
    expect(error).toBeInstanceOf(PoisonError);
    expect(error.reason).toBe(reason);
    expect(error.origin.channel).toBe('p');
  });
});
