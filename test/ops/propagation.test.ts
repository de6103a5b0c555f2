/**
 * OP2–OP6 for every operator, on the in-process runtime: the end of the input retires the
 * outputs; readers leaving retire the inputs; poison crosses an operator both ways with its
 * reason; an operator's own failure poisons both ways and rejects its `out`-form promise.
 */
import { describe, expect, it } from 'vitest';
import {
  after,
  batch,
  broadcast,
  chan,
  collect,
  DeadlockError,
  filter,
  fromIterable,
  map,
  merge,
  par,
  partition,
  pipe,
  pipeline,
  PoisonError,
  process,
  RetiredError,
  scan,
  split,
  take,
  tee,
  ticker,
  unbatch,
  window,
  zip,
  type Reader,
  type Writer,
} from '../../src/index.js';

/** An operator under test: applied to one number input, giving its output readers. */
interface Case {
  readonly name: string;
  readonly apply: (input: Reader<number>) => Reader<unknown>[];
  /** A value that passes through to an output. */
  readonly passes: unknown;
  /** Values that, written in a cycle, reach every output (default: [passes]). */
  readonly cycle?: readonly unknown[];
}

const out1 = <T>(make: (w: Writer<T>) => Promise<void>): Reader<T>[] => {
  const c = chan<T>();
  void make(c.writer());
  return [c.reader()];
};

const CASES: Case[] = [
  { name: 'map', apply: (r) => [map(r, (x) => x + 1)], passes: 1 },
  { name: 'filter', apply: (r) => [filter(r, (x) => x > 0)], passes: 1 },
  { name: 'scan', apply: (r) => [scan(r, (a: number, x: number) => a + x, 0)], passes: 1 },
  { name: 'take', apply: (r) => [take(r, 100)], passes: 1 },
  { name: 'batch', apply: (r) => [batch(r, 1)], passes: 1 },
  { name: 'unbatch', apply: (r) => [unbatch(r as unknown as Reader<number[]>)], passes: [1] },
  { name: 'window', apply: (r) => [window(r, 1)], passes: 1 },
  { name: 'pipeline (fused)', apply: (r) => [pipeline(r, map((x: number) => x * 2), filter((x: number) => x !== 0), batch(1))], passes: 1 },
  { name: 'pipeline (concurrent)', apply: (r) => [pipeline(r, map(async (x: number) => x * 2), { concurrency: 2 })], passes: 1 },
  { name: 'pipeline (out form)', apply: (r) => out1<number>((w) => pipeline(r, map((x: number) => x), { out: w })), passes: 1 },
  {
    name: 'merge',
    apply: (r) => {
      const ended = chan<number>();
      ended.writer().retire();
      return [merge([r, ended.reader()])];
    },
    passes: 1,
  },
  { name: 'tee', apply: (r) => tee(r, 2), passes: 1 },
  {
    name: 'broadcast',
    apply: (r) => {
      const [a, b] = [chan<number>(), chan<number>()];
      void broadcast(r, [a.writer(), b.writer()]);
      return [a.reader(), b.reader()];
    },
    passes: 1,
  },
  { name: 'split', apply: (r) => split(r, (x) => x > 0), passes: 1, cycle: [1, -1] },
  { name: 'partition', apply: (r) => partition(r, 3, (x) => x % 3), passes: 1, cycle: [0, 1, 2] },
  {
    name: 'zip',
    apply: (r) => {
      const other = chan<number>({ buffer: 64 });
      const w = other.writer();
      for (let i = 0; i < 64; i++) w.tryWrite(i);
      return [zip([r, other.reader()])];
    },
    passes: 1,
  },
  { name: 'pipe', apply: (r) => out1<number>((w) => pipe(r, w)), passes: 1 },
];

describe.each(CASES)('$name', ({ apply, passes, cycle = [passes] }) => {
  it('the input ending retires every output (OP2)', async () => {
    const c = chan<unknown>();
    const w = c.writer();
    const outs = apply(c.reader() as Reader<number>);
    const all = Promise.all(outs.map((r) => collect(r)));
    await w.write(passes);
    w.retire();
    const got = await all;
    expect(got.some((values) => values.length === 1)).toBe(true);
  });

  it('every output reader retiring retires the input (OP3)', async () => {
    const c = chan<unknown>();
    const w = c.writer();
    const outs = apply(c.reader() as Reader<number>);
    for (const r of outs) r.retire();
    const error = await (async () => {
      for (;;) for (const v of cycle) await w.write(v);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetiredError);
    expect((error as RetiredError).why).toBe('readers-retired');
  });

  it('poison from downstream reaches the writer upstream with its reason (OP4)', async () => {
    const c = chan<unknown>();
    const w = c.writer();
    const outs = apply(c.reader() as Reader<number>);
    const reason = new Error('stop from downstream');
    (outs[0] as Reader<unknown>).poison(reason);
    const error = await (async () => {
      for (;;) for (const v of cycle) await w.write(v);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoisonError);
    expect((error as PoisonError).reason).toBe(reason);
  });

  it('poison from upstream reaches every output with its reason (OP4)', async () => {
    const c = chan<unknown>();
    const w = c.writer();
    const outs = apply(c.reader() as Reader<number>);
    const reason = new Error('stop from upstream');
    w.poison(reason);
    for (const r of outs) {
      const error = await collect(r).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PoisonError);
      expect((error as PoisonError).reason).toBe(reason);
    }
  });
});

describe('an operator that fails (OP5)', () => {
  it('poisons its output with the error (the consumer sees it as cause) and its input', async () => {
    const c = chan<number>();
    const w = c.writer();
    const boom = new TypeError('no odd numbers');
    const out = map(c.reader(), (x) => {
      if (x % 2 === 1) throw boom;
      return x;
    });
    const seen = collect(out).catch((e: unknown) => e);
    await w.write(2);
    await w.write(3);
    const error = (await seen) as PoisonError;
    expect(error).toBeInstanceOf(PoisonError);
    expect(error.reason).toBe(boom);
    expect(error.cause).toBe(boom);
    expect(error.origin.process).toBe('map');
    const upstream = await w.write(4).catch((e: unknown) => e);
    expect(upstream).toMatchObject({ name: 'PoisonError', reason: boom });
  });

  it('in the out form, its promise rejects with the very error, naming the operator process', async () => {
    const boom = new RangeError('bad value');
    const src = chan<number>({ buffer: 4 });
    const dst = chan<number>({ buffer: 4 });
    const w = src.writer();
    await w.writeAll([1, 2, 3]);
    w.retire();
    const failure = await pipeline(src.reader(), map((x: number) => (x === 2 ? Promise.reject(boom) : x)), { concurrency: 2, out: dst.writer() }).catch((e: unknown) => e);
    expect(failure).toBe(boom);
    expect((failure as Error & { process?: string }).process).toBe('map');
    await expect(dst.reader().read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
  });

  it('a process that awaits the out form fails its par with the error (PR5 holds through operators)', async () => {
    const boom = new Error('stage failed');
    const stage = process('stage', (input: Reader<number>, out: Writer<number>) =>
      pipeline(
        input,
        map((x: number) => {
          if (x === 3) throw boom;
          return x;
        }),
        { out },
      ),
    );
    const feed = process('feed', async (out: Writer<number>) => out.writeAll([1, 2, 3, 4]));
    const sink = process('sink', async (input: Reader<number>) => void (await collect(input).catch(() => [])));
    const a = chan<number>();
    const b = chan<number>();
    await expect(par(feed(a.writer()), stage(a.reader(), b.writer()), sink(b.reader()))).rejects.toBe(boom);
  });

  it('a map whose function returns a promise, outside concurrency, fails with a TypeError that says what to do', async () => {
    const c = chan<number>({ buffer: 1 });
    const w = c.writer();
    await w.write(1);
    const failed = await collect(map(c.reader(), async (x: number) => x)).catch((e: unknown) => e);
    expect((failed as PoisonError).reason).toBeInstanceOf(TypeError);
    expect(String((failed as PoisonError).reason)).toMatch(/concurrency/);
  });
});

describe('operators are processes', () => {
  it('a deadlock through an operator names the operator process', async () => {
    const consumer = process('consumer', async () => {
      const c = chan<number>({ name: 'never-written' });
      const keep = c.writer();
      const out = map(c.reader(), (x) => x * 2);
      await out.read();
      keep.retire();
    });
    const error = (await par(consumer()).catch((e: unknown) => e)) as DeadlockError;
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.blocked.map((b) => b.process).sort()).toEqual(['consumer', 'map']);
  });
});

describe('arguments are checked', () => {
  it('names the function, the parameter and the value', () => {
    const r = chan<number>().reader();
    expect(() => map(r, 5 as never)).toThrow(/map\(reader, f\): f must be a function, got 5/);
    expect(() => take(r, -1)).toThrow(/take\(reader, n\): n must be an integer >= 0, got -1/);
    expect(() => batch(r, 0)).toThrow(RangeError);
    expect(() => batch(3, { maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(() => merge([])).toThrow(/merge\(readers, options\): readers must be an array of at least 1 Reader/);
    expect(() => merge([r, 'x' as never])).toThrow(/readers\[1\] must be a Reader/);
    expect(() => pipeline(r)).toThrow(/at least one stage/);
    expect(() => pipeline(r, ((x: number) => x) as never)).toThrow(/stage 1 must be a stage/);
    expect(() => pipeline(r, scan((a: number, x: number) => a + x, 0), { concurrency: 2 })).toThrow(/"scan" keeps state/);
    expect(() => pipeline(r, map((x: number) => x), { concurrency: 0 })).toThrow(/concurrency must be an integer >= 1/);
    expect(() => broadcast(r, [], {})).toThrow(/writers must be an array of at least 1/);
    expect(() => broadcast(r, [chan<number>().writer()], { laggards: 'skip' as never })).toThrow(/laggards must be one of 'wait', 'drop'/);
    expect(() => partition(r, 2, () => 0, { out: [chan<number>().writer()] })).toThrow(/at least 2 Writer/);
    expect(() => map(r, (x) => x, { out: 'nope' as never })).toThrow(/options.out must be a Writer/);
    const w = () => chan<number>().writer();
    expect(() => split(r, () => true, { out: [w(), w(), w()] as never })).toThrow(/exactly 2 writers/);
    expect(() => window(r, 0)).toThrow(/size must be an integer >= 1, got 0/);
    expect(() => after(-1)).toThrow(/after\(ms, options\): ms must be a finite number of milliseconds >= 0, got -1/);
    expect(() => ticker(0)).toThrow(/ticker\(ms, options\): ms must be a finite number/);
    expect(() => fromIterable(42 as never)).toThrow(/values must be an iterable or an async iterable/);
    expect(() => collect({} as never)).toThrow(/collect\(reader\): reader must be a Reader/);
    expect(() => zip([])).toThrow(/zip\(readers, options\): readers must be an array of at least 1/);
    expect(() => tee(r, 0)).toThrow(/n must be an integer >= 1/);
  });

  it('split drops the values of an output nobody reads any more, and keeps serving the other', async () => {
    const c = chan<number>();
    const w = c.writer();
    const [yes, no] = split(c.reader(), (x) => x > 0);
    no.retire();
    const got = collect(yes);
    await w.writeAll([1, -1, 2, -2, 3]);
    w.retire();
    expect(await got).toEqual([1, 2, 3]);
  });

  it('a partition key outside [0, n) fails the operator with a RangeError', async () => {
    const c = chan<number>({ buffer: 1 });
    const w = c.writer();
    await w.write(1);
    const [a] = partition(c.reader(), 2, () => 7);
    const error = (await collect(a as Reader<number>).catch((e: unknown) => e)) as PoisonError;
    expect(error.reason).toBeInstanceOf(RangeError);
  });
});

describe('broadcast with laggards: drop', () => {
  it('a slow output misses the values it was not ready for; the fast one gets them all', async () => {
    const src = chan<number>();
    const fast = chan<number>();
    const slow = chan<number>();
    const w = src.writer();
    const done = broadcast(src.reader(), [fast.writer(), slow.writer()], { laggards: 'drop' });
    const gotFast = collect(fast.reader());
    const slowReader = slow.reader();
    await w.writeAll([1, 2, 3]);
    w.retire();
    await done;
    expect(await gotFast).toEqual([1, 2, 3]);
    expect(await collect(slowReader)).toEqual([]);
  });

  it('wait (the default): the slow output holds everything back, then gets every value', async () => {
    const src = chan<number>();
    const fast = chan<number>();
    const slow = chan<number>();
    const w = src.writer();
    void broadcast(src.reader(), [fast.writer(), slow.writer()]);
    const gotFast = collect(fast.reader());
    const writing = w.writeAll([1, 2, 3]).then(() => w.retire());
    expect(await collect(slow.reader())).toEqual([1, 2, 3]);
    await writing;
    expect(await gotFast).toEqual([1, 2, 3]);
  });
});

describe('writeAll', () => {
  it('pulls a value only once the channel took the previous one, and closes the iterator when a write fails', async () => {
    const c = chan<number>();
    const r = c.reader();
    let pulled = 0;
    let closed = false;
    function* numbers(): Generator<number> {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const writing = c.writer().writeAll(numbers());
    expect(await r.read()).toBe(0);
    expect(await r.read()).toBe(1);
    expect(pulled).toBe(3);
    r.retire();
    await expect(writing).rejects.toMatchObject({ name: 'RetiredError', why: 'readers-retired' });
    expect(closed).toBe(true);
  });

  it('refuses what is not iterable', async () => {
    await expect(chan<number>().writer().writeAll(42 as never)).rejects.toThrow(/writeAll\(values\): values must be an iterable/);
  });
});
