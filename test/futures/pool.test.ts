/**
 * What a pool does, on local() and on threads(): results in order, errors as thrown, nested tasks
 * that cannot deadlock, shared constants, streaming inputs within the window, mapReduce, close.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chan, local } from 'cspflow';
import { futures, PoolClosedError, type Pool } from 'cspflow/futures';
import {
  add,
  asyncDouble,
  catchesChild,
  copies,
  evenOnly,
  fib,
  inc,
  leaves,
  meet,
  nestedMapSum,
  quicksort,
  ranSoFar,
  returnsFunction,
  sharedPlus,
  submitsStranger,
  throwsValue,
  whoAmI,
} from './fixtures/tasks.js';
import { runtimes } from './runtimes.js';

const TASKS = [inc, add, asyncDouble, evenOnly, throwsValue, returnsFunction, fib, quicksort, nestedMapSum, submitsStranger, sharedPlus, whoAmI];

describe.each(runtimes)('a pool on %s', (name, runtime) => {
  let pool: Pool;
  beforeAll(() => {
    pool = futures({ runtime: runtime(), tasks: TASKS, constants: { offset: 100 } });
  });
  afterAll(() => pool.close());

  describe('order', () => {
    const xs = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3001);

    test('map gives the results in input order, whatever the chunk size', async () => {
      expect(await pool.map(inc, xs)).toEqual(xs.map((x) => x + 1));
      expect(await pool.map(inc, xs, { chunk: 7, window: 50 })).toEqual(xs.map((x) => x + 1));
      expect(await pool.map(asyncDouble, xs.slice(0, 300), { chunk: 1 })).toEqual(xs.slice(0, 300).map((x) => x * 2));
    });

    test('mapIterable yields in input order; mapUnordered yields every result once', async () => {
      const ordered: number[] = [];
      for await (const y of pool.mapIterable(inc, xs, { window: 100 })) ordered.push(y);
      expect(ordered).toEqual(xs.map((x) => x + 1));
      const unordered: number[] = [];
      for await (const y of pool.mapUnordered(inc, xs, { window: 100 })) unordered.push(y);
      expect(unordered.sort((a, b) => a - b)).toEqual(xs.map((x) => x + 1).sort((a, b) => a - b));
    });

    test('submit takes every argument; submissions in one turn all settle with their own result', async () => {
      expect(await pool.submit(add, 2, 3)).toBe(5);
      const futures = xs.map((x) => pool.submit(add, x, 1));
      expect(await Promise.all(futures)).toEqual(xs.map((x) => x + 1));
      expect(futures.every((f) => f.status === 'fulfilled')).toBe(true);
    });

    test('an empty map gives an empty array', async () => {
      expect(await pool.map(inc, [])).toEqual([]);
    });

    if (name === 'threads') {
      test('the farm workers of a task are spread over the runtime', async () => {
        const seen = await pool.map(whoAmI, Array.from({ length: 200 }, () => undefined), { chunk: 1 });
        expect(new Set(seen.map((s) => s.task))).toEqual(new Set(['test.whoAmI']));
        expect(seen.every((s) => s.worker === 0 || s.worker === 1)).toBe(true);
      });
    }
  });

  describe('errors', () => {
    test("a task's error rejects the map with the error as thrown: name, message, stack, cause, fields, task and worker", async () => {
      const error = (await pool.map(evenOnly, [0, 2, 3, 4]).catch((e: unknown) => e)) as Error & Record<string, unknown>;
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('OddError');
      expect(error.message).toBe('3 is odd');
      expect(error.stack).toContain('fixtures/tasks.ts');
      expect(error.cause).toBeInstanceOf(RangeError);
      expect((error.cause as Error).message).toBe('not even');
      expect(error['value']).toBe(3);
      expect(error['task']).toBe('test.evenOnly');
      expect(typeof error['worker']).toBe('number');
    });

    test("onError: 'continue' runs every item and puts each error in its item's place", async () => {
      const out = await pool.map(evenOnly, [0, 1, 2, 3], { onError: 'continue' });
      expect(out[0]).toBe(0);
      expect(out[2]).toBe(2);
      expect((out[1] as unknown as Error).message).toBe('1 is odd');
      expect((out[3] as unknown as Error).message).toBe('3 is odd');
    });

    test('a future rejects with what its task threw, even a non-Error; the pool goes on', async () => {
      await expect(pool.submit(evenOnly, 5)).rejects.toMatchObject({ name: 'OddError', message: '5 is odd' });
      await expect(pool.submit(throwsValue, 'boom')).rejects.toBe('boom');
      expect(await pool.map(inc, [1, 2])).toEqual([2, 3]);
    });

    test('a result that cannot cross back fails its item, saying why', async () => {
      await expect(pool.submit(returnsFunction, 1)).rejects.toThrow(/task "test.returnsFunction" returned a value that cannot be sent back/);
    });

    test('an argument or item that cannot cross is refused at the call', async () => {
      await expect(pool.submit(add, (() => 1) as unknown as number, 1)).rejects.toMatchObject({ code: 'ERR_CSPFLOW_INVALID_ARGUMENT', parameter: 'argument 1' });
      await expect(pool.map(inc, [1, Symbol('x') as unknown as number])).rejects.toMatchObject({ code: 'ERR_CSPFLOW_INVALID_ARGUMENT', parameter: 'items[1]' });
    });
  });

  describe('nested tasks', () => {
    test('fib(15) submits its subproblems to the same pool and completes', async () => {
      expect(await pool.submit(fib, 15)).toBe(610);
    });

    test('parallel quicksort sorts', async () => {
      const xs = Array.from({ length: 300 }, (_, i) => (i * 104729) % 997);
      expect(await pool.submit(quicksort, xs)).toEqual([...xs].sort((a, b) => a - b));
    });

    test('a task maps a task', async () => {
      expect(await pool.submit(nestedMapSum, 100)).toBe(5050);
    });

    test('submitting a task the pool does not have rejects the nested future, and so the parent', async () => {
      await expect(pool.submit(submitsStranger, 1)).rejects.toMatchObject({ name: 'UnknownTaskError' });
    });
  });

  describe('shared constants', () => {
    test('constants given at the start reach every farm worker', async () => {
      expect(await pool.map(sharedPlus, [1, 2, 3], { chunk: 1 })).toEqual([101, 102, 103]);
    });
  });

  describe('streaming inputs', () => {
    test('from a Reader, results come before the input ends', async () => {
      const c = chan<number>();
      const w = c.writer();
      const it = pool.mapIterable(inc, c.reader())[Symbol.asyncIterator]();
      await w.write(1);
      expect(await it.next()).toEqual({ done: false, value: 2 });
      await w.write(2);
      expect(await it.next()).toEqual({ done: false, value: 3 });
      w.retire();
      expect(await it.next()).toEqual({ done: true, value: undefined });
    });

    test('from an async iterable, results come before it ends', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      async function* numbers(): AsyncGenerator<number> {
        yield 10;
        await gate;
        yield 20;
      }
      const it = pool.mapIterable(inc, numbers())[Symbol.asyncIterator]();
      expect(await it.next()).toEqual({ done: false, value: 11 });
      release();
      expect(await it.next()).toEqual({ done: false, value: 21 });
      expect((await it.next()).done).toBe(true);
    });

    test('never more than the window is taken from the input ahead of the consumer', async () => {
      let pulled = 0;
      function* numbers(): Generator<number> {
        for (let i = 0; i < 500; i++) {
          pulled++;
          yield i;
        }
      }
      const window = 16;
      let consumed = 0;
      for await (const y of pool.mapIterable(inc, numbers(), { window })) {
        expect(y).toBe(consumed + 1);
        consumed++;
        expect(pulled - consumed).toBeLessThanOrEqual(window);
      }
      expect(consumed).toBe(500);
    });
  });

  describe('mapReduce', () => {
    test('folds the results on this thread', async () => {
      const xs = Array.from({ length: 1000 }, (_, i) => i);
      expect(await pool.mapReduce(inc, (a: number, b: number) => a + b, xs)).toBe(500500);
      expect(await pool.mapReduce(inc, (a: string, b: number) => a + (b > 999 ? 'x' : ''), xs, { initial: '' })).toBe('x');
      expect(await pool.mapReduce(inc, (a: number, b: number) => a + b, [], { initial: 7 })).toBe(7);
      await expect(pool.mapReduce(inc, (a: number, b: number) => a + b, [])).rejects.toMatchObject({ code: 'ERR_CSPFLOW_INVALID_ARGUMENT' });
    });
  });
});

test('close waits for tasks a task submitted and did not await (local(): what they ran is visible here)', async () => {
  const pool = futures({ runtime: local(), tasks: [leaves, ranSoFar] });
  expect(await pool.map(leaves, ['p1', 'p2', 'p3'])).toEqual(['p1', 'p2', 'p3']);
  expect(await pool.submit(leaves, 'p4')).toBe('p4');
  await pool.close();
  expect((ranSoFar.fn as () => string[])()).toEqual(expect.arrayContaining(['child of p1', 'child of p2', 'child of p3', 'child of p4']));
});

describe.each(runtimes)('the lifecycle of a pool on %s', (_, runtime) => {
  test('close waits for the work in progress, then refuses new work', async () => {
    const pool = futures({ runtime: runtime(), tasks: [inc, fib] });
    const pending = pool.submit(fib, 10);
    const closed = pool.close();
    expect(await pending).toBe(55);
    await closed;
    await expect(pool.submit(inc, 1)).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.map(inc, [1])).rejects.toBeInstanceOf(PoolClosedError);
    await pool.close();
  });

  test('nested tasks complete on a single farm worker running one item at a time', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [fib], workers: 1, concurrency: 1 });
    expect(await pool.submit(fib, 12)).toBe(144);
  });

  test('a nested task run by the farm worker that submitted it gets copies, and its error comes back rebuilt, as from elsewhere', async () => {
    // One farm worker: every nested submission runs where it was made (there is nobody to share with).
    await using pool = futures({ runtime: runtime(1), tasks: [copies, catchesChild], workers: 1 });
    expect(await pool.submit(copies, { n: 1 }, false)).toEqual({ mine: 1, theirs: 99, same: false });
    expect(await pool.submit(catchesChild, false)).toEqual({ name: 'OddError', message: '1 is odd', value: 1, task: 'test.catchesChild', cause: 'RangeError' });
  });

  test('concurrency: items of an async task run side by side in one farm worker', async () => {
    await using pool = futures({ runtime: runtime(1), tasks: [meet], workers: 1, concurrency: 2 });
    expect(await pool.map(meet, [1, 2, 3, 4], { chunk: 1 })).toEqual([1, 2, 3, 4]);
  });

  test('a map over a Reader whose channel is poisoned rejects with the PoisonError', async () => {
    await using pool = futures({ runtime: runtime(), tasks: [inc] });
    const c = chan<number>({ buffer: 4 });
    const w = c.writer();
    const mapped = pool.map(inc, c.reader());
    await w.write(1);
    w.poison('bad input');
    await expect(mapped).rejects.toMatchObject({ name: 'PoisonError', reason: 'bad input' });
  });

  test('pool.shared sends a constant every farm worker has before the promise resolves', async () => {
    await using pool = futures({ runtime: runtime(), tasks: [sharedPlus] });
    await expect(pool.submit(sharedPlus, 1)).rejects.toMatchObject({ name: 'UnknownSharedError' });
    await pool.shared('offset', 1000);
    expect(await pool.map(sharedPlus, [1, 2, 3, 4], { chunk: 1 })).toEqual([1001, 1002, 1003, 1004]);
    await expect(pool.shared('offset', 2)).rejects.toMatchObject({ code: 'ERR_CSPFLOW_INVALID_ARGUMENT', parameter: 'name' });
  });
});
