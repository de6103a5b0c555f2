/**
 * Direct routes between worker threads (record 0014): a stream from a writer in one worker to a
 * reader in another, its channel living with the reader, gives every value once; a graceful stop
 * reaches the routed source; a worker that dies poisons, with WorkerCrashedError, the channel it
 * wrote across the route, and the run fails with it.
 */
import { describe, expect, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { threads, WorkerCrashedError } from '../../src/threads/index.js';
import { routeCrash, routedStream, routeEndless, routeTally, routeWatch } from '../fixtures/route-procs.js';

const MODULES = [new URL('../fixtures/route-procs.ts', import.meta.url).href];

function collectTo<T>(into: T[]) {
  return process('route-collect-any', async (inp: Reader<T>) => {
    for await (const v of inp) into.push(v);
  });
}

describe('direct routes between worker threads', () => {
  it('a stream from one worker to a reader in another gives every value once, for several runs of one pool', async () => {
    await using pool = threads({ size: 2, modules: MODULES });
    for (const n of [1, 1000, 50_000]) {
      const got: [number, number][] = [];
      await run(routedStream(n, got), { runtime: pool });
      expect(got).toEqual([[n, (n * (n - 1)) / 2]]);
    }
  });

  it('a graceful stop reaches a routed source', async () => {
    await using pool = threads({ size: 2, modules: MODULES });
    const got: [number, number][] = [];
    const controller = new AbortController();
    const net = network((n) => {
      const c = n.channel<number>('c', { buffer: 16 });
      const started = n.channel<boolean>('started');
      const out = n.channel<[number, number]>('out');
      n.spawn(routeEndless(c.writer()));
      n.spawn(routeTally(c.reader(), started.writer(), out.writer()));
      // The stop comes once values flow over the route.
      n.spawn(
        process('route-stop-when-started', async (inp: Reader<boolean>) => {
          for await (const _ of inp) controller.abort();
        })(started.reader()),
        { place: 'main' },
      );
      n.spawn(collectTo(got)(out.reader()), { place: 'main' });
    });
    await run(net, { runtime: pool, signal: controller.signal });
    expect(got).toHaveLength(1);
    const [count, sum] = got[0] as [number, number];
    expect(count).toBeGreaterThan(0);
    expect(sum).toBe((count * (count - 1)) / 2);
  });

  it('a worker that dies poisons the channel it wrote over the route with WorkerCrashedError; the run fails with it', async () => {
    await using pool = threads({ size: 2, modules: MODULES });
    const outcomes: string[] = [];
    const net = network((n) => {
      const c = n.channel<number>('c', { buffer: 4 });
      const report = n.channel<string>('report');
      n.spawn(routeCrash(10, c.writer()));
      n.spawn(routeWatch(c.reader(), report.writer()));
      n.spawn(collectTo(outcomes)(report.reader()), { place: 'main' });
    });
    await expect(run(net, { runtime: pool })).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(outcomes).toEqual(['PoisonError/WorkerCrashedError']);
  });
});
