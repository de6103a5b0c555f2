/**
 * Timer channels and batch's maxWaitMs run on the injected scheduler's clock: under the test
 * scheduler they are instant and deterministic (virtual time), and usable in alt.
 */
import { describe, expect, it } from 'vitest';
import { after, alt, batch, chan, collect, input, process, spawn, take, ticker, type Writer } from '../../src/index.js';
import { runScheduled, scheduleFromString, TestScheduler } from '../../src/testing/index.js';

const natural = (): TestScheduler => scheduleFromString('');

describe('after(ms)', () => {
  it('wins an alt against a channel nobody writes, at virtual time ms, with the value ms', async () => {
    const run = await runScheduled(async () => {
      const data = chan<number>({ name: 'data' });
      const keep = data.writer();
      const r = await alt([input(data.reader()), input(after(250))]);
      keep.retire();
      return r;
    }, natural());
    expect(run.value).toEqual({ index: 1, value: 250 });
    expect(run.time).toBe(250);
  });

  it('delivers one value, then the end of the stream; an aborted after retires without a value', async () => {
    const run = await runScheduled(async () => {
      const stopped = new AbortController();
      const cancelled = after(1000, { signal: stopped.signal });
      stopped.abort();
      return { once: await collect(after(5)), cancelled: await collect(cancelled) };
    }, natural());
    expect(run.value).toEqual({ once: [5], cancelled: [] });
    expect(run.time).toBe(5);
  });
});

describe('ticker(ms)', () => {
  it('drops the ticks a slow reader misses (it holds one), as Go’s Ticker does', async () => {
    const run = await runScheduled(async () => {
      const stop = new AbortController();
      const ticks = ticker(10, { signal: stop.signal });
      const seen = [await ticks.read()];
      await after(35).read();
      seen.push(await ticks.read(), await ticks.read());
      stop.abort();
      return seen;
    }, natural());
    // t=10 read; t=20 held; t=30, t=40 dropped (one already held); read 20 at t=45, then 50.
    expect(run.value).toEqual([10, 20, 50]);
    expect(run.time).toBe(50);
  });

  it('ends when its readers retire (at its next tick), so the run settles', async () => {
    const run = await runScheduled(async () => {
      const ticks = ticker(7);
      const first = await ticks.read();
      ticks.retire();
      return first;
    }, natural());
    expect(run.value).toBe(7);
  });

  it('aborting stops it at once: the reader sees the end of the stream', async () => {
    const run = await runScheduled(async () => {
      const stop = new AbortController();
      const ticks = ticker(100, { signal: stop.signal });
      const two = await collect(take(ticks, 2));
      stop.abort();
      return two;
    }, natural());
    expect(run.value).toEqual([100, 200]);
  });
});

describe('batch maxWaitMs', () => {
  it('a partial batch leaves maxWaitMs after its first value, on virtual time', async () => {
    const s = natural();
    const run = await runScheduled(async () => {
      const src = chan<number>({ name: 'src' });
      const feeder = process('feeder', async (out: Writer<number>) => {
        await out.writeAll([1, 2]);
        await after(100).read();
        await out.writeAll([3, 4, 5]);
      });
      const feeding = spawn(feeder(src.writer()));
      const batches: { at: number; values: number[] }[] = [];
      for await (const values of batch(src.reader(), 3, { maxWaitMs: 40 })) batches.push({ at: s.now, values });
      await feeding;
      return batches;
    }, s);
    expect(run.value).toEqual([
      { at: 40, values: [1, 2] },
      { at: 100, values: [3, 4, 5] },
    ]);
  });
});
