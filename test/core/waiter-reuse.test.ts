/**
 * A plain operation's waiter serves its end again (ChannelCore.wait), and once done it keeps
 * nothing of the operation it served: no value, no resolving function, no abort listener; while it
 * waits it keeps its promise's resolve only, and a failure still rejects with the error itself
 * (waiter.ts invariants). Counted on the end, not timed.
 */
import { describe, expect, it } from 'vitest';
import { alt, chan, input, par, PoisonError, process as defineProcess, RetiredError, type Writer } from '../../src/index.js';
import type { End } from '../../src/core/ends.js';

/** The end behind a Reader or Writer, to look at its spare waiter. */
const endOf = (end: unknown): End<unknown> => end as End<unknown>;

describe('the waiter of a plain operation', () => {
  it('is one per end however many times the end waits, and holds no value once taken', async () => {
    const c = chan<object>();
    const w = c.writer();
    const r = c.reader();
    const waiters = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const value = { i };
      const writing = w.write(value);
      const waiter = endOf(w).lastQueued;
      expect(waiter?.value).toBe(value);
      waiters.add(waiter);
      expect(await r.read()).toBe(value);
      await writing;
      expect(waiter?.value).toBeUndefined();
    }
    expect(waiters.size).toBe(1);
  });

  it('serves a wait without a signal after one with a signal, which an abort then leaves alone', async () => {
    const c = chan<number>();
    const w = c.writer();
    const r = c.reader();
    const controller = new AbortController();
    const first = r.read({ signal: controller.signal });
    const waiter = endOf(r).lastQueued;
    await w.write(1);
    expect(await first).toBe(1);
    const second = r.read();
    expect(endOf(r).lastQueued).toBe(waiter);
    controller.abort();
    await w.write(2);
    expect(await second).toBe(2);
  });

  it('is not kept for an alt: the end lets an alt’s waiter go once the alt is done', async () => {
    const c = chan<number>();
    const w = c.writer();
    const r = c.reader();
    const choosing = alt([input(r)]);
    expect(endOf(r).lastQueued).not.toBeNull();
    await w.write(7);
    expect((await choosing).value).toBe(7);
    expect(endOf(r).lastQueued).toBeNull();
  });

  it('keeps no reject function, and a blocked write that fails rejects with the error itself', async () => {
    const c = chan<number>();
    const w = c.writer();
    const r = c.reader();
    const writing = w.write(1);
    const waiter = endOf(w).lastQueued;
    expect(waiter).not.toBeNull();
    expect(Object.keys(waiter as object)).not.toContain('reject');
    r.poison('stop');
    const poisoned = endOf(w).core.poisoned;
    expect(poisoned).toBeInstanceOf(PoisonError);
    await expect(writing).rejects.toBe(poisoned);
    expect(waiter?.queue).toBeNull();
  });

  it('fails a process blocked on a write (the fast path’s wait) when the readers retire', async () => {
    const c = chan<number>();
    const r = c.reader();
    let failure: unknown = null;
    const blocked = defineProcess('blocked', async (out: Writer<number>) => {
      try {
        await out.write(1);
      } catch (error) {
        failure = error;
      }
    });
    const w = c.writer();
    const running = par(blocked(w));
    expect(endOf(w).queued).toBe(1);
    r.retire();
    await running;
    expect(failure).toBeInstanceOf(RetiredError);
    expect((failure as RetiredError).why).toBe('readers-retired');
  });
});
