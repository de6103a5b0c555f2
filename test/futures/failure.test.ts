/**
 * A pool whose network fails — its task missing from the workers' modules, a worker thread dying
 * — rejects every call in progress and every later one with PoolFailedError (the cause attached),
 * and close() reports it too. Nothing hangs.
 */
import { describe, expect, test } from 'vitest';
import { threads } from 'cspflow/threads';
import { futures, PoolFailedError } from 'cspflow/futures';
import { crash, inc, tasksModule } from './fixtures/tasks.js';

describe('a failed pool', () => {
  test('a task whose module the workers do not load: the worker names the unknown process', async () => {
    const pool = futures({ runtime: threads({ size: 1, modules: [] }), tasks: [inc] });
    const error = (await pool.submit(inc, 1).catch((e: unknown) => e)) as PoolFailedError;
    expect(error).toBeInstanceOf(PoolFailedError);
    expect(error.code).toBe('ERR_CSPFLOW_POOL_FAILED');
    expect(error.message).toMatch(/no process named "task\.test\.inc"/);
    await expect(pool.map(inc, [1])).rejects.toBe(error);
    await expect(pool.close()).rejects.toBe(error);
  });

  test('a worker thread that dies fails the pool with WorkerCrashedError as the cause', async () => {
    const pool = futures({ runtime: threads({ size: 1, modules: [tasksModule] }), tasks: [inc, crash] });
    expect(await pool.submit(inc, 1)).toBe(2);
    const pending = pool.map(inc, [1, 2, 3]);
    const error = (await pool.submit(crash).catch((e: unknown) => e)) as PoolFailedError;
    expect(error).toBeInstanceOf(PoolFailedError);
    expect((error.cause as Error).name).toBe('WorkerCrashedError');
    await pending.catch(() => {});
    await expect(pool.submit(inc, 1)).rejects.toBe(error);
    await expect(pool.close()).rejects.toBe(error);
  });
});
