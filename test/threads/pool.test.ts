/**
 * A thread runtime is a pool that outlives one run: its workers load their modules once and serve
 * every run given the runtime, until close() (which waits for the runs in progress) or `await
 * using`; a run after that is a RuntimeClosedError; a worker lost in one run is replaced for the
 * next; a futures pool runs on it like on any runtime.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { network, process, run, start, type Reader } from '../../src/index.js';
import { futures } from '../../src/futures/index.js';
import { RuntimeClosedError, threads, WorkerCrashedError } from '../../src/threads/index.js';
import { inc, tasksModule } from '../futures/fixtures/tasks.js';
import { crashMidWrite } from '../fixtures/pipeline.js';
import { numbers, total, whereAmI } from '../fixtures/thread-procs.js';

const PROCS = new URL('../fixtures/thread-procs.ts', import.meta.url).href;
const PIPELINE = new URL('../fixtures/pipeline.ts', import.meta.url).href;

function sumTo(n: number, got: number[]) {
  return network((net) => {
    const xs = net.channel<number>('xs');
    net.spawn(numbers(n, xs.writer()));
    net.spawn(total(xs.reader(), (t: number) => got.push(t)), { place: 'main' });
  });
}

/** The thread ids `replicas` copies of whereAmI report. */
function threadIds(replicas: number, into: number[]) {
  const collect = process('collect-ids', async (input: Reader<number>) => {
    for await (const id of input) into.push(id);
  });
  return network((net) => {
    const ids = net.channel<number>('ids');
    net.spawn(whereAmI(ids.writer()), { replicas });
    net.spawn(collect(ids.reader()), { place: 'main' });
  });
}

describe('one thread runtime, many runs', () => {
  it('the same workers serve a second run (started once), and each run gives its own result', async () => {
    const pool = threads({ size: 2, modules: [PROCS] });
    const first: number[] = [];
    const second: number[] = [];
    await run(threadIds(2, first), { runtime: pool });
    await run(threadIds(2, second), { runtime: pool });
    const totals: number[] = [];
    await run(sumTo(10, totals), { runtime: pool });
    await run(sumTo(4, totals), { runtime: pool });
    await pool.close();
    expect(new Set(first).size).toBe(2);
    expect([...second].sort()).toEqual([...first].sort());
    expect(totals).toEqual([55, 10]);
  });

  it('a run after close() rejects with RuntimeClosedError; close() is idempotent', async () => {
    const pool = threads({ size: 1, modules: [PROCS] });
    await run(sumTo(3, []), { runtime: pool });
    await pool.close();
    await pool.close();
    const error = await run(sumTo(3, []), { runtime: pool }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeClosedError);
    expect(error).toMatchObject({ code: 'ERR_CSPFLOW_RUNTIME_CLOSED', runtime: 'threads(1)' });
  });

  it('await using closes the pool at the end of the block', async () => {
    let escaped: ReturnType<typeof threads> | undefined;
    {
      await using pool = threads({ size: 1, modules: [PROCS] });
      escaped = pool;
      const got: number[] = [];
      await run(sumTo(5, got), { runtime: pool });
      expect(got).toEqual([15]);
    }
    await expect(run(sumTo(3, []), { runtime: escaped })).rejects.toBeInstanceOf(RuntimeClosedError);
  });

  it('close() waits for a run in progress, which finishes normally', async () => {
    const pool = threads({ size: 1, modules: [PROCS] });
    const got: number[] = [];
    const handle = start(sumTo(100, got), { runtime: pool });
    let ran = false;
    void handle.done.then(() => {
      ran = true;
    });
    await pool.close();
    expect(ran).toBe(true);
    expect(got).toEqual([5050]);
  });

  it('two runs at once on one pool each get their own links and results', async () => {
    const pool = threads({ size: 1, modules: [PROCS] });
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([run(sumTo(100, a), { runtime: pool }), run(sumTo(10, b), { runtime: pool })]);
    await pool.close();
    expect([a, b]).toEqual([[5050], [55]]);
  });

  it('workers idle for idleTimeout stop; the next run starts fresh ones and works', async () => {
    const pool = threads({ size: 1, modules: [PROCS], idleTimeout: 0 });
    const ids: number[] = [];
    await run(threadIds(1, ids), { runtime: pool });
    // A 0 ms timer made after the pool's 0 ms idle timer fires after it (Node runs equal timers in order).
    await new Promise((resolve) => setTimeout(resolve, 0));
    await run(threadIds(1, ids), { runtime: pool });
    const got: number[] = [];
    await run(sumTo(3, got), { runtime: pool });
    await pool.close();
    expect(ids).toHaveLength(2);
    expect(ids[1]).not.toBe(ids[0]);
    expect(got).toEqual([6]);
  });

  it('options are checked: an unknown key, a negative idleTimeout', () => {
    expect(() => threads({ modules: [PROCS], sise: 2 } as never)).toThrow(/unknown option "sise".*Did you mean "size"/);
    expect(() => threads({ modules: [PROCS], idleTimeout: -1 })).toThrow(RangeError);
  });

  it('size defaults to os.availableParallelism()', () => {
    expect(threads({ modules: [PROCS] }).size).toBe(availableParallelism());
  });

  it('a worker that dies in one run fails that run; the next run gets a fresh worker', async () => {
    const pool = threads({ size: 1, modules: [PROCS, PIPELINE] });
    const ids: number[] = [];
    await run(threadIds(1, ids), { runtime: pool });
    const crash = network((n) => {
      const a = n.channel<number>('a');
      n.spawn(crashMidWrite(a.writer()));
      n.spawn(
        process('drain', async (r: Reader<number>) => {
          for await (const _ of r);
        })(a.reader()),
        { place: 'main' },
      );
    });
    await expect(run(crash, { runtime: pool })).rejects.toBeInstanceOf(WorkerCrashedError);
    await run(threadIds(1, ids), { runtime: pool });
    const got: number[] = [];
    await run(sumTo(6, got), { runtime: pool });
    await pool.close();
    expect(got).toEqual([21]);
    expect(ids).toHaveLength(2);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('futures pools, one after another, on one thread runtime', async () => {
    const runtime = threads({ size: 2, modules: [tasksModule] });
    for (const base of [0, 10]) {
      await using pool = futures({ runtime, tasks: [inc] });
      expect(await pool.map(inc, [base, base + 1, base + 2])).toEqual([base + 1, base + 2, base + 3]);
    }
    await runtime.close();
  });
});
