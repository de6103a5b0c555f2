/** gather, wait and asCompleted over futures (they take any promises), and the one-shot map. */
import { describe, expect, test } from 'vitest';
import { asCompleted, gather, map, mapReduce, mapUnordered, wait } from 'cspflow/futures';
import { fib, inc } from './fixtures/tasks.js';

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('gather', () => {
  test('gives every value in order, or the first failure', async () => {
    expect(await gather([Promise.resolve(1), Promise.resolve('a')] as const)).toEqual([1, 'a']);
    const boom = new Error('boom');
    await expect(gather([Promise.resolve(1), Promise.reject(boom)])).rejects.toBe(boom);
  });
});

describe('wait', () => {
  test("'first' returns once one settles; 'all' once all have", async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    const first = wait([a.promise, b.promise], { until: 'first' });
    b.resolve(2);
    expect(await first).toEqual({ done: [b.promise], pending: [a.promise] });
    const all = wait([a.promise, b.promise]);
    a.resolve(1);
    expect(await all).toEqual({ done: [a.promise, b.promise], pending: [] });
  });

  test("'first-error' returns at the first rejection", async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    const c = deferred<number>();
    const waiting = wait([a.promise, b.promise, c.promise], { until: 'first-error' });
    a.resolve(1);
    b.reject(new Error('b'));
    expect(await waiting).toEqual({ done: [a.promise, b.promise], pending: [c.promise] });
  });

  test('aborting returns the split as it stands', async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    const abort = new AbortController();
    const waiting = wait([a.promise, b.promise], { signal: abort.signal });
    a.resolve(1);
    await a.promise;
    abort.abort();
    expect(await waiting).toEqual({ done: [a.promise], pending: [b.promise] });
  });
});

describe('asCompleted', () => {
  test('yields each outcome as it settles, with its index, rejected ones included', async () => {
    const a = deferred<number>();
    const b = deferred<number>();
    const c = deferred<number>();
    const seen: unknown[] = [];
    const done = (async () => {
      for await (const r of asCompleted([a.promise, b.promise, c.promise])) seen.push([r.index, r.status === 'fulfilled' ? r.value : (r.reason as Error).message]);
    })();
    c.resolve(3);
    await c.promise;
    a.reject(new Error('a'));
    await a.promise.catch(() => {});
    b.resolve(2);
    await done;
    expect(seen).toEqual([[2, 3], [0, 'a'], [1, 2]]);
  });
});

describe('one-shot calls on local()', () => {
  test('map, mapUnordered and mapReduce start a pool, run and close it', async () => {
    expect(await map(inc, [1, 2, 3])).toEqual([2, 3, 4]);
    const out: number[] = [];
    for await (const y of mapUnordered(inc, [1, 2, 3])) out.push(y);
    expect(out.sort()).toEqual([2, 3, 4]);
    expect(await mapReduce(inc, (a: number, b: number) => a + b, [1, 2, 3])).toBe(9);
    expect(await map(fib, [10, 11], { workers: 2 })).toEqual([55, 89]);
  });
});
