/**
 * src/core/chan.ts and ends.ts: option validation, names, defaults, and the local behaviours the
 * conformance suite states loosely (it must also fit remote channels).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { alt, chan, input, PendingLimitError, PoisonError, realScheduler, RetiredError, useScheduler } from '../../src/index.js';
import { track } from '../../src/testing/conformance/support.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('chan options', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('maxPending must be an integer >= 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => chan({ maxPending: bad })).toThrow(RangeError);
      expect(() => chan({ maxPending: bad })).toThrow(/maxPending must be an integer >= 1/);
    }
  });

  it('unnamed channels get chan1, chan2, … per runtime; a name option wins', () => {
    restore = useScheduler(realScheduler);
    const a = chan();
    const b = chan({ name: 'jobs' });
    const c = chan();
    expect([a.name, b.name, c.name]).toEqual(['chan1', 'jobs', 'chan2']);
    const end = a.reader();
    expect(end.channelName).toBe('chan1');
    expect(b.writer().channelName).toBe('jobs');
  });

  it('the default cap is 1024 waiting reads (C10)', async () => {
    const c = chan<number>({ name: 'capped' });
    const r = c.reader();
    const reads = Array.from({ length: 1024 }, () => track('read', r.read()));
    const over = await r.read().then(
      () => null,
      (e: unknown) => e,
    );
    expect(over).toBeInstanceOf(PendingLimitError);
    expect((over as PendingLimitError).limit).toBe(1024);
    const w = c.writer();
    for (let i = 0; i < 1024; i++) expect(w.tryWrite(i)).toEqual({ ok: true });
    await flush();
    expect(reads.map((read) => read.value())).toEqual(Array.from({ length: 1024 }, (_, i) => i));
  });
});

describe('ends', () => {
  it('readMany(max) rejects a max that is not an integer >= 1', async () => {
    const r = chan<number>().reader();
    for (const bad of [0, -3, 2.5]) await expect(r.readMany(bad)).rejects.toThrow(RangeError);
  });

  it('A3 (local, strict): a read that committed is not undone by an abort in the same tick', async () => {
    const c = chan<number>();
    const r = c.reader();
    const w = c.writer();
    const controller = new AbortController();
    const read = r.read({ signal: controller.signal });
    const write = w.write(1);
    controller.abort(new Error('too late'));
    await expect(read).resolves.toBe(1);
    await expect(write).resolves.toBeUndefined();
  });

  it('A3 (local, strict): an alt that committed is not undone by an abort in the same tick', async () => {
    const c = chan<number>();
    const r = c.reader();
    const w = c.writer();
    const controller = new AbortController();
    const res = alt([input(r)], { signal: controller.signal });
    expect(w.tryWrite(4)).toEqual({ ok: true });
    controller.abort(new Error('too late'));
    await expect(res).resolves.toEqual({ index: 0, value: 4 });
  });

  it('a write that could not wait is refused with tryWrite, not thrown, once readers retired', () => {
    const c = chan<number>({ buffer: 1 });
    const w = c.writer();
    c.reader().retire();
    expect(w.tryWrite(1)).toEqual({ ok: false, reason: 'retired' });
  });

  it('a new end may still be made on a poisoned channel; every operation on it fails with the poison', async () => {
    const c = chan<number>();
    c.writer().poison('gone');
    const r = c.reader();
    await expect(r.read()).rejects.toBeInstanceOf(PoisonError);
    const w = c.writer();
    await expect(w.write(1)).rejects.toMatchObject({ name: 'PoisonError', reason: 'gone' });
  });

  it('retire and poison on an end that already left are no-ops', async () => {
    const c = chan<number>({ buffer: 2 });
    const w = c.writer();
    const r = c.reader();
    w.poison('first');
    w.retire();
    w.poison('second');
    await expect(r.read()).rejects.toMatchObject({ reason: 'first' });
  });

  it('retiring one of several ends of a side does not retire the side', async () => {
    const c = chan<number>({ buffer: 1 });
    const r1 = c.reader();
    const r2 = c.reader();
    const w = c.writer();
    r1.retire();
    await w.write(1);
    expect(r2.tryRead()).toEqual({ ok: true, value: 1 });
    r2.retire();
    const error = await w.write(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetiredError);
    expect((error as RetiredError).why).toBe('readers-retired');
    expect(() => c.reader()).toThrow(/every reader has retired/);
  });
});

describe('C11: a thenable as a value', () => {
  it('read adopts it; tryRead, readMany and an alt input deliver it as itself', async () => {
    const c = chan<Promise<string>>({ buffer: 4 });
    const w = c.writer();
    const r = c.reader();
    const p = Promise.resolve('inside');
    await w.write(p);
    await w.write(p);
    await w.write(p);
    await w.write(p);
    expect(await (r.read() as Promise<unknown>)).toBe('inside');
    const tried = r.tryRead();
    expect(tried.ok && tried.value).toBe(p);
    expect((await r.readMany(1))[0]).toBe(p);
    const chosen = await alt([input(r)]);
    expect(chosen.value).toBe(p);
  });
});
