/**
 * RxJS bridges (cspflow/rx). fromObservable's overflow policies are driven by RxJS's own
 * TestScheduler: a marble's burst is emitted at flush(), all at once, while nothing reads the
 * channel, so what the bounded buffer keeps is exact.
 */
import { lastValueFrom, map as rxMap, take as rxTake, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { chan, collect, fromIterable, PoisonError } from '../../src/index.js';
import { fromObservable, OverflowError, toObservable } from '../../src/rx/index.js';

const marbles = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('toObservable', () => {
  it('emits the channel’s values and completes at its end', async () => {
    expect(await lastValueFrom(toObservable(fromIterable([1, 2, 3])).pipe(rxMap((x) => x * 2), toArray()))).toEqual([2, 4, 6]);
  });

  it('unsubscribing retires the reader and takes no value it does not emit', async () => {
    const c = chan<number>();
    const w = c.writer();
    const firstTwo = lastValueFrom(toObservable(c.reader()).pipe(rxTake(2), toArray()));
    await w.write(1);
    await w.write(2);
    expect(await firstTwo).toEqual([1, 2]);
    await expect(w.write(3)).rejects.toMatchObject({ name: 'RetiredError', why: 'readers-retired' });
  });

  it('poison errors the Observable with the PoisonError', async () => {
    const c = chan<number>();
    const reason = new Error('gone wrong');
    c.writer().poison(reason);
    const error = await lastValueFrom(toObservable(c.reader())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoisonError);
    expect((error as PoisonError).reason).toBe(reason);
  });
});

describe('fromObservable', () => {
  it('completion retires the channel after every value', async () => {
    const ts = marbles();
    const source = ts.createColdObservable('a-b-c-|');
    const reader = fromObservable(source, { overflow: 'error', buffer: 8 });
    ts.flush();
    expect(await collect(reader)).toEqual(['a', 'b', 'c']);
  });

  it("overflow 'drop-newest' keeps the first `buffer` values of a burst", async () => {
    const ts = marbles();
    const reader = fromObservable(ts.createColdObservable('abcdef|'), { overflow: 'drop-newest', buffer: 2 });
    ts.flush();
    expect(await collect(reader)).toEqual(['a', 'b']);
  });

  it("overflow 'drop-oldest' keeps the last `buffer` values of a burst", async () => {
    const ts = marbles();
    const reader = fromObservable(ts.createColdObservable('abcdef|'), { overflow: 'drop-oldest', buffer: 2 });
    ts.flush();
    expect(await collect(reader)).toEqual(['e', 'f']);
  });

  it("overflow 'error' poisons the channel with OverflowError and rejects the writer form", async () => {
    const ts = marbles();
    const c = chan<string>({ name: 'events' });
    let unsubscribed = false;
    const source = ts.createHotObservable('abc');
    const done = fromObservable(source, c.writer(), { overflow: 'error', buffer: 2 });
    ts.flush();
    const failure = await done.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OverflowError);
    expect(failure).toMatchObject({ code: 'ERR_CSPFLOW_OVERFLOW', channel: 'events', limit: 2 });
    await expect(c.reader().read()).rejects.toMatchObject({ name: 'PoisonError', reason: failure });
    unsubscribed = source.observers.length === 0;
    expect(unsubscribed).toBe(true);
  });

  it('an Observable error poisons the channel after the values before it', async () => {
    const ts = marbles();
    const boom = new Error('source failed');
    const reader = fromObservable(ts.createColdObservable('ab#', undefined, boom), { overflow: 'error', buffer: 4 });
    ts.flush();
    expect(await reader.read()).toBe('a');
    expect(await reader.read()).toBe('b');
    await expect(reader.read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
  });

  it('readers leaving unsubscribe', async () => {
    const ts = marbles();
    const source = ts.createHotObservable('a-b-c-d-e-f-g');
    const c = chan<string>();
    const done = fromObservable(source, c.writer(), { overflow: 'drop-newest', buffer: 16 });
    expect(source.observers.length).toBe(1);
    c.reader().retire();
    ts.flush();
    await done;
    expect(source.observers.length).toBe(0);
  });

  it('requires an overflow policy: an Observable cannot be back-pressured', () => {
    const ts = marbles();
    expect(() => fromObservable(ts.createColdObservable('a|'), {} as never)).toThrow(/options.overflow is required/);
    expect(() => fromObservable(ts.createColdObservable('a|'), { overflow: 'grow' as never })).toThrow(/must be one of 'error', 'drop-newest', 'drop-oldest'/);
    expect(() => fromObservable(ts.createColdObservable('a|'), { overflow: 'error', buffer: 0 })).toThrow(/buffer must be an integer >= 1/);
  });
});
