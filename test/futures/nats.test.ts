/**
 * A futures pool on the NATS runtime, against a real nats-server started here and `cspflow worker`
 * processes spawned as users start them (each loads the test task module): map equals
 * Array.prototype.map, order, a task's error rebuilt, cancellation, nested submissions that do not
 * deadlock, and a worker killed with -9 failing the pool with a named error instead of a hang.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { seededParams } from 'cspflow/testing';
import { CancelledError, futures, PoolFailedError, type Pool } from 'cspflow/futures';
import { nats, WorkerLostError } from 'cspflow/nats';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startCliWorker, type CliWorker } from '../nats/cli-worker.js';
import { add, asyncDouble, evenOnly, fib, hold, inc, nestedMapSum, quicksort, ranSoFar, sharedPlus, throwsValue, whoAmI } from './fixtures/tasks.js';

const TASKS_PATH = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const TASKS = [inc, add, asyncDouble, evenOnly, throwsValue, fib, quicksort, nestedMapSum, sharedPlus, whoAmI];

let server: NatsServer;
let workers: CliWorker[] = [];
let pool: Pool;

function worker(name: string, prefix = 'cspflow', extra: readonly string[] = []): CliWorker {
  return startCliWorker(['--nats', server.url, '--module', TASKS_PATH, '--name', name, '--prefix', prefix, ...extra]);
}

beforeAll(async () => {
  server = await startNatsServer();
  workers = [worker('fw0'), worker('fw1')];
  await Promise.all(workers.map((w) => w.ready));
  pool = futures({ runtime: nats({ servers: server.url, discoverMs: 300, workers: 2 }), tasks: TASKS, constants: { offset: 100 } });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await server?.dispose();
}, 60_000);

describe('a pool on nats', () => {
  test('map equals Array.prototype.map, in every form, for generated inputs and chunk sizes', async () => {
    const settings = fc.record({
      xs: fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 300 }),
      chunk: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
      window: fc.option(fc.integer({ min: 1, max: 128 }), { nil: undefined }),
      async: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(settings, async ({ xs, chunk, window, async }) => {
        const t = async ? asyncDouble : inc;
        const want = xs.map(async ? (x: number) => x * 2 : (x: number) => x + 1);
        const options = { ...(chunk === undefined ? {} : { chunk }), ...(window === undefined ? {} : { window }) };
        expect(await pool.map(t, xs, options)).toEqual(want);
        const unordered: number[] = [];
        for await (const y of pool.mapUnordered(t, xs, options)) unordered.push(y);
        expect(unordered.sort((a, b) => a - b)).toEqual([...want].sort((a, b) => a - b));
        expect(await Promise.all(xs.map((x) => pool.submit(t, x)))).toEqual(want);
      }),
      seededParams('map equals Array.prototype.map on nats', { numRuns: 10 }),
    );
  }, 60_000);

  test('order: map, mapIterable and submissions keep input order; mapReduce folds every result', async () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_011);
    expect(await pool.map(inc, xs)).toEqual(xs.map((x) => x + 1));
    const ordered: number[] = [];
    for await (const y of pool.mapIterable(inc, xs, { window: 500, chunk: 16 })) ordered.push(y);
    expect(ordered).toEqual(xs.map((x) => x + 1));
    expect(await Promise.all(xs.slice(0, 2000).map((x) => pool.submit(add, x, 1)))).toEqual(xs.slice(0, 2000).map((x) => x + 1));
    expect(await pool.mapReduce(inc, (a: number, b: number) => a + b, xs, { initial: 0 })).toBe(xs.reduce((a, x) => a + x + 1, 0));
  });

  test('the farm workers of a task run on both NATS workers, with the shared constants', async () => {
    const seen = await pool.map(whoAmI, Array.from({ length: 100 }, () => undefined), { chunk: 1 });
    expect(new Set(seen.map((s) => s.worker))).toEqual(new Set([0, 1]));
    expect(await pool.map(sharedPlus, [1, 2, 3], { chunk: 1 })).toEqual([101, 102, 103]);
  });

  test('without `workers`, a pool has one farm worker per task on each NATS worker that answered when it started', async () => {
    await using sized = futures({ runtime: nats({ servers: server.url, discoverMs: 300 }), tasks: [whoAmI] });
    const seen = await sized.map(whoAmI, Array.from({ length: 100 }, () => undefined), { chunk: 1 });
    expect(new Set(seen.map((s) => s.worker))).toEqual(new Set([0, 1]));
  });

  test('without `workers` and with no NATS worker answering, every call rejects with PoolFailedError (cause NoWorkersError)', async () => {
    const lonely = futures({ runtime: nats({ servers: server.url, prefix: 'nobody', discoverMs: 200 }), tasks: [inc] });
    const error = await lonely.submit(inc, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolFailedError);
    expect((error as Error).cause).toMatchObject({ name: 'NoWorkersError' });
    await expect(lonely.close()).rejects.toBeInstanceOf(PoolFailedError);
  });

  test("a task's error rejects with its name, message, cause (class rebuilt), fields, task and worker; the pool goes on", async () => {
    const error = (await pool.map(evenOnly, [0, 2, 3, 4]).catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OddError');
    expect(error.message).toBe('3 is odd');
    expect(error.stack).toContain('fixtures/tasks.ts');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe('not even');
    expect(error['value']).toBe(3);
    expect(error['task']).toBe('test.evenOnly');
    expect([0, 1]).toContain(error['worker']);
    await expect(pool.submit(throwsValue, 'boom')).rejects.toBe('boom');
    const out = await pool.map(evenOnly, [0, 1, 2], { onError: 'continue' });
    expect([out[0], out[2], (out[1] as unknown as Error).message]).toEqual([0, 2, '1 is odd']);
    expect(await pool.map(inc, [1, 2])).toEqual([2, 3]);
  });

  test('nested submissions complete without deadlock: fib(15), quicksort, a map inside a task', async () => {
    expect(await pool.submit(fib, 15)).toBe(610);
    const xs = Array.from({ length: 300 }, (_, i) => (i * 104729) % 997);
    expect(await pool.submit(quicksort, xs)).toEqual([...xs].sort((a, b) => a - b));
    expect(await pool.submit(nestedMapSum, 100)).toBe(5050);
  }, 30_000);

  test('cancellation: an aborted map cancels what had not started; future.cancel() works until the task leaves', async () => {
    // One NATS worker, one farm worker: `hold('block')` keeps it busy, and `ranSoFar` runs in the same worker process.
    await using one = futures({ runtime: nats({ servers: server.url, discoverMs: 300, workers: 1 }), tasks: [hold, ranSoFar], workers: 1 });
    const before = await one.submit(ranSoFar);
    const unblock = new AbortController();
    const blocked = one.map(hold, ['block'], { signal: unblock.signal }).catch((e: unknown) => e);
    const abort = new AbortController();
    const mapped = one.map(hold, ['a', 'b', 'c', 'd', 'e'], { signal: abort.signal, chunk: 1 }).catch((e: unknown) => e);
    const sameTurn = one.submit(hold, 'never');
    expect(sameTurn.cancel()).toBe(true);
    await expect(sameTurn).rejects.toBeInstanceOf(CancelledError);
    await one.submit(ranSoFar);
    const reason = new Error('stop');
    abort.abort(reason);
    expect(await mapped).toBe(reason);
    unblock.abort();
    expect(await blocked).toBeInstanceOf(Error);
    expect(await one.map(hold, ['f'])).toEqual(['f']);
    expect(await one.submit(ranSoFar)).toEqual([...before, 'f']);
  }, 30_000);

  test('a worker killed with -9 fails the pool with PoolFailedError, cause WorkerLostError naming it: no hang', async () => {
    const victim = worker('victim', 'dead');
    await victim.ready;
    const doomed = futures({ runtime: nats({ servers: server.url, prefix: 'dead', discoverMs: 300, leaseMs: 3_000, confirmMs: 500 }), tasks: [hold, inc], workers: 1 });
    expect(await doomed.submit(inc, 1)).toBe(2);
    const pending = doomed.submit(hold, 'block');
    await doomed.submit(inc, 2);
    victim.child.kill('SIGKILL');
    const error = (await pending.catch((e: unknown) => e)) as PoolFailedError;
    expect(error).toBeInstanceOf(PoolFailedError);
    expect(error.cause).toBeInstanceOf(WorkerLostError);
    expect((error.cause as WorkerLostError).worker).toBe('victim');
    await expect(doomed.submit(inc, 3)).rejects.toBe(error);
    await expect(doomed.close()).rejects.toBe(error);
    expect((await victim.exited).signal).toBe('SIGKILL');
  }, 30_000);

  test("a pool needing more farm workers than a worker's --concurrency allows fails with PoolFailedError saying so", async () => {
    const capped = worker('capped', 'capped', ['--concurrency', '1']);
    try {
      await capped.ready;
      const pool = futures({ runtime: nats({ servers: server.url, prefix: 'capped', discoverMs: 300 }), tasks: [inc], workers: 2 });
      const error = (await pool.submit(inc, 1).catch((e: unknown) => e)) as PoolFailedError;
      expect(error).toBeInstanceOf(PoolFailedError);
      expect(error.message).toMatch(/--concurrency/);
      await expect(pool.close()).rejects.toBe(error);
    } finally {
      capped.child.kill('SIGTERM');
      await capped.exited;
    }
  }, 30_000);
});
