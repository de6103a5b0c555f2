/**
 * S4: the real scheduler breathes. Driven with an injected clock and defer, so every decision is
 * checked without real time: it reads the clock once every `every` resumptions, gives a fresh
 * slice after the event loop has turned, and once the slice is spent holds resumptions back until
 * its deferred release, which runs them in arrival order. While it holds them, nothing counts as
 * idle: deadlock detection waits for the release, so a wait that a held resumption will end is
 * never taken for a deadlock.
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

/** One turn of the real event loop: setImmediate tasks queued before this one have run. */
const loopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Spends the slice of `f`'s scheduler: from now on it holds resumptions until `f.turn()`. */
function spendSlice(f: ReturnType<typeof fake>): void {
  expect(f.scheduler.proceed()).toBe(true); // the first reading starts the slice
  f.advance(10);
  expect(f.scheduler.proceed()).toBe(false);
}

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

  it('runs an idle task only once the resumptions it held have run, a turn after their release', async () => {
    const f = fake(1, 10);
    spendSlice(f);
    const ran: string[] = [];
    f.scheduler.wake(() => ran.push('woken'), 'woken');
    f.scheduler.whenIdle(() => ran.push('idle'));
    await loopTurn();
    await loopTurn();
    expect(ran).toEqual([]); // held: not idle, however many turns pass
    f.turn();
    expect(ran).toEqual(['woken']);
    await loopTurn();
    expect(ran).toEqual(['woken', 'idle']);
  });

  it('a wait that a held resumption will end is not taken for a deadlock', async () => {
    // p waits on x and on z; q waits on w. Once the main program's write to z completes p's read
    // (its resumption held), p and q each wait on one channel only the other holds: stuck, were
    // it not for p's resumption, after which p writes w, q writes x, and both end.
    const f = fake(1, 10);
    const restore = useScheduler(f.scheduler);
    try {
      const [x, z, w] = [chan<number>({ name: 'x' }), chan<number>({ name: 'z' }), chan<number>({ name: 'w' })];
      let got: number | undefined;
      const p = process('p', async (zr: Reader<number>, xr: Reader<number>, ww: Writer<number>) => {
        const fromQ = xr.read();
        await ww.write(await zr.read());
        got = await fromQ;
      });
      const q = process('q', async (wr: Reader<number>, xw: Writer<number>) => {
        await xw.write((await wr.read()) + 1);
      });
      const zw = z.writer();
      const run = par(p(z.reader(), x.reader(), w.writer()), q(w.reader(), x.writer()));
      let outcome: unknown = 'running';
      run.then(
        () => (outcome = 'ended'),
        (error: unknown) => (outcome = error),
      );
      for (let i = 0; i < 100; i++) await Promise.resolve(); // both block; deadlock detection is due at the next turn
      spendSlice(f);
      const written = zw.write(7);
      await loopTurn();
      await loopTurn();
      expect(outcome).toBe('running');
      while (outcome === 'running') {
        f.turn();
        await loopTurn();
      }
      expect(outcome).toBe('ended');
      await written;
      expect(got).toBe(8);
    } finally {
      restore();
    }
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
