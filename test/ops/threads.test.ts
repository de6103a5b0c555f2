/**
 * Every operator and bridge inside worker threads, over proxy ends: one network runs each of
 * them (fixture processes in test/fixtures/ops.ts) on local() and on threads(), for generated
 * inputs, and both must give the array equivalents. Then retire, poison and failures crossing
 * an operator that runs in a worker.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { local, network, PoisonError, process, RetiredError, run, type ProcessInstance, type Reader, type Runtime, type Writer } from '../../src/index.js';
import { seededParams } from '../../src/testing/index.js';
import { threads } from '../../src/threads/index.js';
import * as ops from '../fixtures/ops.js';

const MODULE = new URL('../fixtures/ops.ts', import.meta.url).href;
const pool = (size = 2): Runtime => threads({ size, modules: [MODULE] });

const feed = process('feed', async (values: unknown[], out: Writer<unknown>) => out.writeAll(values));
const gather = process('gather', async (from: Reader<unknown>, into: unknown[]) => {
  for await (const v of from) into.push(v);
});

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** The array equivalent of each fixture operator, for input xs. */
function expected(xs: number[]) {
  const doubled = xs.map((x) => x * 2).filter((x) => x % 3 !== 0);
  const sums = doubled.map((_, i) => doubled.slice(0, i + 1).reduce((a, x) => a + x, 0));
  const first7 = xs.slice(0, 7);
  const windows: number[][] = [];
  for (let i = 0; i + 3 <= first7.length; i += 2) windows.push(first7.slice(i, i + 3));
  return {
    fused: chunks(sums, 4),
    concurrent: xs.map((x) => x + 1),
    takeWindow: windows,
    unbatch: xs,
    merge: [...xs, ...xs.map((x) => x + 1000)].sort((a, b) => a - b),
    broadcast: [xs, xs],
    teeZip: xs.map((x) => [x, -x]),
    split: [xs.filter((x) => x % 2 === 0), xs.filter((x) => x % 2 !== 0)],
    partition: [0, 1, 2].map((k) => xs.filter((x) => ((x % 3) + 3) % 3 === k)),
    pipe: xs,
    fromIterable: xs.map((_, i) => i),
    writeAll: xs,
    collect: [xs],
    streams: xs,
    rx: xs.map((x) => x * 10),
  };
}

type Results = { [K in keyof ReturnType<typeof expected>]: unknown[] };

/** One network running every fixture operator in a worker, fed and gathered on main. */
function everyOperator(xs: number[], got: Results) {
  return network((n) => {
    const main = { place: 'main' } as const;
    const wire = <T>(name: string, buffer = 0) => n.channel<T>(name, buffer > 0 ? { buffer } : {});
    const into = (name: keyof Results, c: { reader(): Reader<unknown> }) => n.spawn(gather(c.reader(), got[name]), main);
    const fed = (name: string, values: unknown[]) => {
      const c = wire<unknown>(`${name}-in`, 8);
      n.spawn(feed(values, c.writer()), main);
      return c;
    };
    const one = (name: keyof Results, op: (i: never, o: never) => ProcessInstance, values: unknown[] = xs) => {
      const i = fed(name, values);
      const o = wire<unknown>(`${name}-out`);
      n.spawn(op(i.reader() as never, o.writer() as never));
      into(name, o);
    };
    one('fused', ops.fused);
    one('concurrent', ops.concurrent);
    one('takeWindow', ops.takeWindow);
    one('unbatch', ops.unbatchIt, chunks(xs, 3));
    one('pipe', ops.pipeIt);
    one('collect', ops.collectIt);
    one('streams', ops.streams);
    one('rx', ops.rx);
    one('teeZip', ops.teeZip);

    const a = fed('merge-a', xs);
    const b = fed('merge-b', xs.map((x) => x + 1000));
    const m = wire<number>('merge-out');
    n.spawn(ops.mergeIt([a.reader() as Reader<number>, b.reader() as Reader<number>], m.writer()));
    into('merge', m);

    const bi = fed('broadcast', xs);
    const bo = [wire<number>('broadcast-0'), wire<number>('broadcast-1')];
    n.spawn(ops.broadcastIt(bi.reader() as Reader<number>, bo.map((c) => c.writer())));
    bo.forEach((c, k) => {
      const slot: unknown[] = [];
      got.broadcast[k] = slot;
      n.spawn(gather(c.reader(), slot), main);
    });

    const si = fed('split', xs);
    const so = [wire<number>('split-even'), wire<number>('split-odd')];
    n.spawn(ops.splitIt(si.reader() as Reader<number>, so[0]!.writer(), so[1]!.writer()));
    so.forEach((c, k) => {
      const slot: unknown[] = [];
      got.split[k] = slot;
      n.spawn(gather(c.reader(), slot), main);
    });

    const pi = fed('partition', xs);
    const po = [0, 1, 2].map((k) => wire<number>(`partition-${k}`));
    n.spawn(ops.partitionIt(pi.reader() as Reader<number>, po.map((c) => c.writer())));
    po.forEach((c, k) => {
      const slot: unknown[] = [];
      got.partition[k] = slot;
      n.spawn(gather(c.reader(), slot), main);
    });

    const fi = wire<number>('from-iterable', 4);
    n.spawn(ops.source(xs.length, fi.writer()));
    into('fromIterable', fi);

    const wa = wire<number>('write-all', 4);
    n.spawn(ops.writeAllIt(xs, wa.writer()));
    into('writeAll', wa);
  });
}

const empty = (): Results => ({
  fused: [],
  concurrent: [],
  takeWindow: [],
  unbatch: [],
  merge: [],
  broadcast: [],
  teeZip: [],
  split: [],
  partition: [],
  pipe: [],
  fromIterable: [],
  writeAll: [],
  collect: [],
  streams: [],
  rx: [],
});

/** -0 crosses a thread as 0 (the codec contract, docs/decisions/0004-codec-contract.md): compare without that sign. */
const unsigned = (x: unknown): unknown => (Object.is(x, -0) ? 0 : Array.isArray(x) ? x.map(unsigned) : x);
const normalise = (r: Results): Results =>
  Object.fromEntries(Object.entries({ ...r, merge: [...(r.merge as number[])].sort((a, b) => a - b) }).map(([k, v]) => [k, unsigned(v)])) as Results;

describe('every operator and bridge, inside worker threads over proxy ends', () => {
  it('gives the array equivalents, the same as on local() (property over inputs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 40 }), async (xs) => {
        const onLocal = empty();
        const onThreads = empty();
        await run(everyOperator(xs, onLocal), { runtime: local() });
        await run(everyOperator(xs, onThreads), { runtime: pool(2) });
        expect(normalise(onLocal)).toEqual(normalise(expected(xs)));
        expect(normalise(onThreads)).toEqual(normalise(expected(xs)));
      }),
      seededParams('every operator on threads', { numRuns: 3 }),
    );
  });

  it('timer channels run on the worker’s scheduler and work in its alt', async () => {
    const got: unknown[] = [];
    await run(
      network((n) => {
        const c = n.channel<number[]>('timers');
        n.spawn(ops.timers(c.writer()));
        n.spawn(gather(c.reader(), got), { place: 'main' });
      }),
      { runtime: pool(1) },
    );
    // Real time in the worker: a tick the reader was late for is dropped, so only the shape is certain.
    const [ticks] = got as number[][];
    expect(ticks?.length).toBe(4);
    const [t1, t2, t3, winner] = ticks as number[];
    expect(t1! % 2 === 0 && t2! % 2 === 0 && t3! % 2 === 0 && t1! < t2! && t2! < t3!).toBe(true);
    expect(winner).toBe(0);
  });
});

describe('termination crosses an operator running in a worker', () => {
  it('take retires its input: the endless feeder on main sees readers-retired and the run ends', async () => {
    const got: unknown[] = [];
    const seen: unknown[] = [];
    const endless = process('endless', async (out: Writer<number>) => {
      try {
        for (let i = 0; ; i++) await out.write(i);
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    await run(
      network((n) => {
        const i = n.channel<number>('endless');
        const o = n.channel<number[]>('windows');
        n.spawn(endless(i.writer()), { place: 'main' });
        n.spawn(ops.takeWindow(i.reader(), o.writer()));
        n.spawn(gather(o.reader(), got), { place: 'main' });
      }),
      { runtime: pool(1) },
    );
    expect(got).toEqual([
      [0, 1, 2],
      [2, 3, 4],
      [4, 5, 6],
    ]);
    expect(seen[0]).toBeInstanceOf(RetiredError);
    expect((seen[0] as RetiredError).why).toBe('readers-retired');
  });

  it('poison from a reader on main crosses the worker operator back to the writer on main, with its reason', async () => {
    const reason = new Error('enough');
    const seen: unknown[] = [];
    const endless = process('endless', async (out: Writer<number>) => {
      try {
        for (let i = 0; ; i++) await out.write(i);
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    const quitter = process('quitter', async (from: Reader<number>) => {
      await from.read();
      from.poison(reason);
    });
    await run(
      network((n) => {
        const i = n.channel<number>('in');
        const o = n.channel<number>('out');
        n.spawn(endless(i.writer()), { place: 'main' });
        n.spawn(ops.concurrent(i.reader(), o.writer()));
        n.spawn(quitter(o.reader()), { place: 'main' });
      }),
      { runtime: pool(1) },
    );
    expect(seen[0]).toBeInstanceOf(PoisonError);
    // The reason made a round trip through the worker: the thread transport carries a copy (same class and message).
    expect((seen[0] as PoisonError).reason).toMatchObject({ name: 'Error', message: 'enough' });
  });

  it('an operator failing in a worker rejects the run with its error, and the reader on main sees the poison', async () => {
    const seen: unknown[] = [];
    const reader = process('reader', async (from: Reader<number>) => {
      try {
        for await (const _ of from);
      } catch (error) {
        seen.push(error);
      }
    });
    const error = (await run(
      network((n) => {
        const i = n.channel<number>('in', { buffer: 8 });
        const o = n.channel<number>('out');
        n.spawn(feed([1, 2, 3, 4], i.writer() as Writer<unknown>), { place: 'main' });
        n.spawn(ops.failing(i.reader(), o.writer()));
        n.spawn(reader(o.reader()), { place: 'main' });
      }),
      { runtime: pool(1) },
    ).catch((e: unknown) => e)) as TypeError & { code: string; process: string };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('three is not allowed');
    expect(error.code).toBe('E_THREE');
    expect(error.process).toBe('map');
    expect(seen[0]).toBeInstanceOf(PoisonError);
  });
});
