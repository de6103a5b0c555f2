/**
 * Direct routes between NATS workers (record 0014): a stream from a writer in one worker to a
 * reader in another goes over a reliable link between the two, joined for the run; a ring through
 * channels living in three workers, joined by routes only, is reported as a deadlock; the same
 * ring started late completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlockError, run } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { ringInWorkers, slowRingInWorkers } from '../fixtures/deadlock-procs.js';
import { routedStream } from '../fixtures/route-procs.js';

const MODULES = [new URL('../fixtures/route-procs.ts', import.meta.url).href, new URL('../fixtures/deadlock-procs.ts', import.meta.url).href];

let server: NatsServer;
let workers: NatsWorker[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  workers = await Promise.all(['rt1', 'rt2', 'rt3'].map((id) => startNatsWorker({ servers: server.url, modules: MODULES, id, timers: realScheduler })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(1_000)));
  await server.dispose();
});

describe('direct routes between NATS workers', () => {
  it('a stream from one worker to a reader in another gives every value once', async () => {
    for (const n of [1, 2000]) {
      const got: [number, number][] = [];
      await run(routedStream(n, got), { runtime: nats({ servers: server.url, discoverMs: 300, workers: 2 }) });
      expect(got).toEqual([[n, (n * (n - 1)) / 2]]);
    }
  });

  it('a ring through channels living in three workers is reported as a deadlock', async () => {
    const error = await run(ringInWorkers(), { runtime: nats({ servers: server.url, discoverMs: 300, workers: 3 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).blocked.map((b) => b.channels[0]).sort()).toEqual(['x', 'y', 'z']);
  });

  it('the same ring, started late, completes', async () => {
    await expect(run(slowRingInWorkers(300), { runtime: nats({ servers: server.url, discoverMs: 300, workers: 3 }) })).resolves.toBeUndefined();
  });
});
