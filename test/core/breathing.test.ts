/**
 * S4: the real scheduler breathes. Driven with an injected clock and defer, so every decision is
 * checked without real time: it reads the clock once every `every` resumptions, gives a fresh
 * slice after the event loop has turned, and once the slice is spent holds resumptions back until
 * its deferred release, which runs them in arrival order.
 */
import { describe, expect, it } from 'vitest';
import { breathingScheduler, chan, par, process, useScheduler, type Reader, type Writer } from '../../src/index.js';

function fake(every = 4, sliceMs = 10) {
  let now = 0;
  let reads = 0;
  const deferred: (() => void)[] = [];
  const scheduler = breathingScheduler({
    every,
    sliceMs,
    clock: () => {
      reads++;
      return now;
    },
    defer: (task) => deferred.push(task),
  });
  return {
    scheduler,
    advance: (ms: number) => (now += ms),
    reads: () => reads,
    deferred,
    /** Runs what was deferred so far (one turn of the event loop). */
    turn: () => deferred.splice(0).forEach((task) => task()),
  };
}

const proceedTimes = (s: { proceed(): boolean }, n: number): boolean[] => Array.from({ length: n }, () => s.proceed());

describe('breathingScheduler', () => {
  it('reads the clock once every `every` resumptions, not on each', () => {
    const f = fake(4);
    expect(proceedTimes(f.scheduler, 12)).toEqual(Array(12).fill(true));
    expect(f.reads()).toBe(3);
  });

  it('once the slice is spent, holds resumptions until the deferred release, then runs them in order', () => {
    const f = fake(4, 10);
    expect(proceedTimes(f.scheduler, 4)).toEqual([true, true, true, true]); // the first reading starts the slice
    f.advance(10);
    expect(proceedTimes(f.scheduler, 4)).toEqual([true, true, true, false]);
    const ran: string[] = [];
    f.scheduler.wake(() => ran.push('a'), 'a');
    expect(f.scheduler.proceed()).toBe(false);
    f.scheduler.wake(() => ran.push('b'), 'b');
    expect(ran).toEqual([]);
    f.turn();
    expect(ran).toEqual(['a', 'b']);
    expect(f.scheduler.proceed()).toBe(true);
  });

  it('gives a fresh slice after the event loop has turned, so a network woken after a quiet spell is not held at once', () => {
    const f = fake(1, 10);
    expect(f.scheduler.proceed()).toBe(true);
    f.turn(); // the event loop turned: the slice ends with it
    f.advance(1000);
    expect(proceedTimes(f.scheduler, 3)).toEqual([true, true, true]);
    f.advance(10);
    expect(f.scheduler.proceed()).toBe(false);
  });

  it('wakes at once while not breathing', () => {
    const f = fake();
    const ran: string[] = [];
    f.scheduler.wake(() => ran.push('now'), 'now');
    expect(ran).toEqual(['now']);
  });

  it('rejects a slice or a budget that is not a positive number', () => {
    expect(() => breathingScheduler({ sliceMs: 0 })).toThrow(RangeError);
    expect(() => breathingScheduler({ sliceMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => breathingScheduler({ every: 0 })).toThrow(RangeError);
    expect(() => breathingScheduler({ every: 1.5 })).toThrow(RangeError);
  });

  it('a busy network under it pauses when its slice is spent and ends with every value delivered once the loop turns', async () => {
    const f = fake(8, 10);
    const restore = useScheduler(f.scheduler);
    try {
      const c = chan<number>({ name: 'busy' });
      const seen: number[] = [];
      const produce = process('produce', async (out: Writer<number>) => {
        for (let i = 0; i < 1000; i++) {
          if (i === 100) f.advance(10); // the slice is spent here
          await out.write(i);
        }
      });
      const consume = process('consume', async (inp: Reader<number>) => {
        for await (const v of inp) seen.push(v);
      });
      const run = par(produce(c.writer()), consume(c.reader()));
      let ended = false;
      void run.then(() => (ended = true));
      // Microtasks only: the network runs until it has spent its slice and the release is deferred.
      for (let i = 0; i < 100_000 && f.deferred.length < 2; i++) await Promise.resolve();
      expect(f.deferred.length).toBe(2); // the end of the turn, then the release
      const before = seen.length;
      for (let i = 0; i < 1000; i++) await Promise.resolve();
      expect(seen.length).toBe(before); // held: nothing moves on microtasks alone
      expect(before).toBeGreaterThanOrEqual(100);
      expect(before).toBeLessThan(1000);
      while (!ended) {
        f.turn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await run;
      expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    } finally {
      restore();
    }
  });
});
