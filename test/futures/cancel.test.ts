/**
 * Cancellation, on local() and on threads({ size: 1 }): one farm worker running one item at a time
 * is kept busy by `hold('block')`, so what is submitted after it waits — in the pool's queue or in
 * the jobs channel — and can be cancelled before it starts. The order is the pool's FIFO: the
 * blocker's items are queued before the others (its map starts first), and the cancels reach the
 * farm worker on its control channel before the blocker is released, so nothing here depends on
 * timing. `ranSoFar` (same thread) says what `hold` actually ran.
 */
import { describe, expect, test } from 'vitest';
import { CancelledError, futures } from 'cspflow/futures';
import { hold, ranSoFar } from './fixtures/tasks.js';
import { runtimes } from './runtimes.js';

describe.each(runtimes)('cancellation on %s', (_, runtime) => {
  test('aborting a map rejects it with the reason and cancels every item that had not started', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [hold, ranSoFar], workers: 1 });
    const before = await pool.submit(ranSoFar);
    const unblock = new AbortController();
    const blocked = pool.map(hold, ['block'], { signal: unblock.signal }).catch((e: unknown) => e);
    const abort = new AbortController();
    const mapped = pool.map(hold, ['a', 'b', 'c', 'd', 'e'], { signal: abort.signal, chunk: 1 }).catch((e: unknown) => e);
    // A round trip on another task: by now every chunk that fits has been written to hold's jobs channel.
    await pool.submit(ranSoFar);
    const reason = new Error('stop');
    abort.abort(reason);
    expect(await mapped).toBe(reason);
    unblock.abort();
    expect(await blocked).toBeInstanceOf(Error);
    expect(await pool.map(hold, ['f'])).toEqual(['f']);
    expect(await pool.submit(ranSoFar)).toEqual([...before, 'f']);
  });

  test('a running item sees its signal abort when its map is aborted', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [hold, ranSoFar], workers: 1 });
    const abort = new AbortController();
    const blocked = pool.map(hold, ['block'], { signal: abort.signal }).catch((e: unknown) => e);
    await pool.submit(ranSoFar);
    abort.abort('enough');
    expect(await blocked).toMatchObject({ message: 'enough' });
    // The pool can close only because the blocked item ended when its signal aborted.
  });

  test('future.cancel() succeeds while the task has not left this thread, not after', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [hold, ranSoFar], workers: 1 });
    const before = await pool.submit(ranSoFar);
    const unblock = new AbortController();
    const blocked = pool.map(hold, ['block'], { signal: unblock.signal }).catch((e: unknown) => e);
    const sameTurn = pool.submit(hold, 'never');
    expect(sameTurn.cancel()).toBe(true);
    expect(sameTurn.status).toBe('cancelled');
    await expect(sameTurn).rejects.toBeInstanceOf(CancelledError);

    const queued = ['x1', 'x2', 'x3', 'x4', 'x5'].map((x) => pool.submit(hold, x));
    await pool.submit(ranSoFar);
    // x1 is in the jobs channel (sent): too late. The last ones did not fit in the channel: still here.
    expect(queued[0]?.cancel()).toBe(false);
    expect(queued[4]?.cancel()).toBe(true);
    await expect(queued[4]).rejects.toBeInstanceOf(CancelledError);
    unblock.abort();
    await blocked;
    const settled = await Promise.allSettled(queued.slice(0, 4));
    expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
    expect(await pool.submit(ranSoFar)).toEqual([...before, 'x1', 'x2', 'x3', 'x4']);
  });

  test('a map given an aborted signal rejects at once and runs nothing', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [hold, ranSoFar], workers: 1 });
    const before = await pool.submit(ranSoFar);
    const reason = new Error('already');
    await expect(pool.map(hold, ['z'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await pool.submit(ranSoFar)).toEqual(before);
  });
});
