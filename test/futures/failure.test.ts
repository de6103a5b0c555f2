/**
 * A pool whose network fails — its task missing from the workers' modules, a worker thread dying,
 * its run failing while the processes on this thread still run — rejects every call in progress
 * and every later one with PoolFailedError (the cause attached), and close() reports it too.
 * Nothing hangs, and nothing of the pool's network is left waiting.
 */
import { describe, expect, test } from 'vitest';
import { local, type Runtime } from 'cspflow';
import { threads } from 'cspflow/threads';
import { futures, PoolFailedError } from 'cspflow/futures';
import { crash, inc, tasksModule } from './fixtures/tasks.js';

/**
 * local(), except that its run fails with the cause given to `fail` while its processes go on
 * (as a transport's run fails when it loses a worker, while the pool's driver, on this thread,
 * still runs); `processes` settles once every process of the network has ended.
 */
function failingLocal(): { runtime: Runtime; fail(cause: Error): void; processes(): Promise<void> } {
  let fail: (cause: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let processes: Promise<void> = Promise.reject(new Error('the pool never started its network'));
  processes.catch(() => {});
  const runtime: Runtime = {
    name: 'failing-local',
    execute(net, context) {
      const execution = local().execute(net, context);
      processes = execution.done;
      processes.catch(() => {});
      return { done: Promise.race([execution.done, failed]), drain: () => execution.drain() };
    },
  };
  return { runtime, fail: (cause) => fail(cause), processes: () => processes };
}

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

  test('a run that fails while its processes still run: the pool stops them, and close() rejects with the failure', async () => {
    const failing = failingLocal();
    const pool = futures({ runtime: failing.runtime, tasks: [inc] });
    expect(await pool.map(inc, [1, 2, 3])).toEqual([2, 3, 4]);
    const cause = new Error('lost a worker');
    failing.fail(cause);
    const error = (await pool.close().catch((e: unknown) => e)) as PoolFailedError;
    expect(error).toBeInstanceOf(PoolFailedError);
    expect(error.cause).toBe(cause);
    await expect(pool.submit(inc, 1)).rejects.toBe(error);
    // The driver stopped reading and ended, and with it every farm worker (without that, this waits forever).
    expect(await failing.processes().then(() => 'ended', () => 'ended')).toBe('ended');
  });
});
