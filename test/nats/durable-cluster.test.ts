/**
 * Durable channels on a 3-node JetStream cluster (streams replicated R3), under fire: the server
 * leading the task stream is killed with SIGKILL mid-run, then the server the runner is connected
 * to; and a single server restarts under a run. Each run completes and the sink sees every value
 * exactly once (a sorted multiset compared, and the count).
 */
import assert from 'node:assert/strict';
import { afterAll, describe, it } from 'vitest';
import { run } from '../../src/index.js';
import { nats } from '../../src/nats/index.js';
import { startNatsCluster, startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import type { CliWorker } from './cli-worker.js';
import { doubleFarm, durableWorkers, expectedDoubles } from './durable-helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

function killLater(workers: readonly CliWorker[]): void {
  cleanup.push(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
  });
}

interface StreamDetail {
  readonly name: string;
  readonly cluster?: { readonly leader?: string };
}

/** The name of the server leading the first stream whose name starts with `prefix`, polled until one is known. */
async function streamLeader(servers: readonly NatsServer[], prefix: string): Promise<string> {
  for (;;) {
    for (const s of servers) {
      if (!s.running) continue;
      const jsz = (await s.monitor('/jsz?streams=true')) as { account_details?: { stream_detail?: StreamDetail[] }[] } | null;
      for (const account of jsz?.account_details ?? []) {
        for (const d of account.stream_detail ?? []) {
          if (d.name.startsWith(`${prefix}_`) && typeof d.cluster?.leader === 'string' && d.cluster.leader !== '') return d.cluster.leader;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a 3-node JetStream cluster under fire', () => {
  it('the stream leader is killed with SIGKILL mid-run: the run completes, every value exactly once', async () => {
    const cluster = await startNatsCluster(3, { jetstream: true });
    cleanup.push(() => cluster.dispose());
    const workers = await durableWorkers(cluster.urls, 'dleader', 2);
    killLater(workers);
    const got: number[] = [];
    let killing: Promise<void> | null = null;
    const seen = (count: number): void => {
      if (count === 600 && killing === null) {
        killing = streamLeader(cluster.servers, 'dleader').then(async (leader) => {
          const victim = cluster.servers.find((s) => s.name === leader) as NatsServer;
          await victim.kill();
        });
      }
    };
    await run(doubleFarm(2_000, got, seen), { runtime: nats({ servers: cluster.urls, prefix: 'dleader', discoverMs: 500 }) });
    assert.notEqual(killing, null);
    await killing;
    assert.equal(cluster.servers.filter((s) => s.running).length, 2, 'one server was killed mid-run');
    assert.equal(got.length, 2_000);
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(2_000));
  }, 180_000);

  it('the server the runner is connected to is killed with SIGKILL mid-run: the run completes, every value exactly once', async () => {
    const cluster = await startNatsCluster(3, { jetstream: true });
    cleanup.push(() => cluster.dispose());
    const workers = await durableWorkers([cluster.urls[1] as string, cluster.urls[2] as string], 'drunner', 2);
    killLater(workers);
    const got: number[] = [];
    let killing: Promise<void> | null = null;
    const seen = (count: number): void => {
      if (count === 600 && killing === null) killing = (cluster.servers[0] as NatsServer).kill();
    };
    // The runner knows only the first server; the others it learns from the cluster.
    await run(doubleFarm(2_000, got, seen), { runtime: nats({ servers: cluster.urls[0] as string, prefix: 'drunner', discoverMs: 500 }) });
    assert.notEqual(killing, null);
    await killing;
    assert.equal(got.length, 2_000, `missing: ${expectedDoubles(2_000).filter((v) => !got.includes(v)).join(', ')}`);
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(2_000));
  }, 180_000);
});

describe('a server restart', () => {
  it('the only server restarts mid-run: durable channels resume from its store and the run completes exactly once', async () => {
    const server = await startNatsServer({ jetstream: true });
    cleanup.push(() => server.dispose());
    const workers = await durableWorkers(server.url, 'drestart', 2);
    killLater(workers);
    const got: number[] = [];
    let restarting: Promise<void> | null = null;
    const seen = (count: number): void => {
      if (count === 600 && restarting === null) restarting = server.restart();
    };
    await run(doubleFarm(2_000, got, seen), { runtime: nats({ servers: server.url, prefix: 'drestart', discoverMs: 300 }) });
    assert.notEqual(restarting, null);
    await restarting;
    assert.equal(got.length, 2_000);
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(2_000));
  }, 120_000);

  // The stream's removal of a message acknowledged is written to its store at most every 2 s,
  // the consumer's ack floor at once: killed mid-run with a buffer deep enough that the streams
  // are never empty, the server comes back with values already finished still in the streams,
  // below the floor (leftovers the consumer never delivers again), and with others whose
  // acknowledgement it lost (delivered again). 20,000 values, 4,096 to a stream.
  it('the only server is killed (kill -9) mid-run and started again on its store: the run completes, every value exactly once', async () => {
    const server = await startNatsServer({ jetstream: true });
    cleanup.push(() => server.dispose());
    const workers = await durableWorkers(server.url, 'dcrash', 2);
    killLater(workers);
    const n = 20_000;
    const got: number[] = [];
    let crashing: Promise<void> | null = null;
    const seen = (count: number): void => {
      if (count === 6_000 && crashing === null) crashing = server.kill().then(() => server.restart());
    };
    await run(doubleFarm(n, got, seen, { buffer: 4_096 }), { runtime: nats({ servers: server.url, prefix: 'dcrash', discoverMs: 300 }) });
    assert.notEqual(crashing, null);
    await crashing;
    assert.equal(got.length, n);
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(n));
  }, 120_000);
});
