/**
 * Deadlock detection across homes over NATS: the ring through channels living in the runner and
 * two NATS workers is reported with one DeadlockError; the same ring started late by a slow
 * process completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlockError, run } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { ringOfThree, slowRing } from '../fixtures/deadlock-procs.js';

const FIXTURE = new URL('../fixtures/deadlock-procs.ts', import.meta.url).href;

let server: NatsServer;
let workers: NatsWorker[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  workers = [
    await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'dl1', timers: realScheduler }),
    await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'dl2', timers: realScheduler }),
  ];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(1_000)));
  await server.dispose();
});

describe('deadlock across homes over NATS', () => {
  it('a ring through channels living in three stations is reported', async () => {
    const error = await run(ringOfThree(), { runtime: nats({ servers: server.url, discoverMs: 300, workers: 2 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).blocked.map((b) => b.channels[0]).sort()).toEqual(['u', 'x', 'y', 'z']);
  });

  it('a slow process is not a deadlock', async () => {
    await expect(run(slowRing(300), { runtime: nats({ servers: server.url, discoverMs: 300, workers: 2 }) })).resolves.toBeUndefined();
  });
});
