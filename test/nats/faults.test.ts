/**
 * Faults on core NATS channels: a short server outage is ridden out with exact counts (the links
 * resend what the server lost); an outage beyond the lease fails the run clearly instead of hanging.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, WorkerLostError, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { numbers, square } from '../fixtures/pipeline.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;
const outage = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setUp(leaseMs: number): Promise<{ server: NatsServer; workers: NatsWorker[] }> {
  const server = await startNatsServer();
  cleanup.push(() => server.dispose());
  const workers: NatsWorker[] = [];
  for (const id of ['f1', 'f2']) {
    const w = await startNatsWorker({ servers: server.url, modules: [FIXTURE], id, timers: realScheduler, leaseMs });
    workers.push(w);
    cleanup.push(() => w.stop(500).then(() => {}));
  }
  return { server, workers };
}

/** numbers → square ×2 (workers) → a sink on main that calls `at(k)` after the k-th value. */
function squares(n: number, into: number[], at: (k: number) => void) {
  const sink = process('fault-sink', async (input: Reader<number>) => {
    for await (const v of input) {
      into.push(v);
      at(into.length);
    }
  });
  return network((net) => {
    const xs = net.channel<number>('xs', { buffer: 64 });
    const ys = net.channel<number>('ys', { buffer: 64 });
    net.spawn(numbers(n, xs.writer()));
    net.spawn(square(xs.reader(), ys.writer()), { replicas: 2 });
    net.spawn(sink(ys.reader()), { place: 'main' });
  });
}

describe('core NATS channels under server faults', () => {
  it('a 0.5 s server outage mid-run: the run completes with every value exactly once', async () => {
    const { server } = await setUp(10_000);
    const got: number[] = [];
    const N = 20_000;
    let fault: Promise<void> | null = null;
    const net = squares(N, got, (k) => {
      if (k === 5_000 && fault === null) {
        fault = (async () => {
          await server.kill();
          await outage(500);
          await server.restart();
        })();
      }
    });
    await run(net, { runtime: nats({ servers: server.url, discoverMs: 300, leaseMs: 10_000 }) });
    await fault;
    assert.ok(fault !== null, 'the outage happened mid-run');
    assert.equal(got.length, N, 'no value lost, none duplicated');
    const expected = Array.from({ length: N }, (_, i) => i * i);
    assert.deepEqual([...got].sort((a, b) => a - b), expected);
  });

  it('an outage beyond the lease: the run rejects with WorkerLostError (lease expired), no hang', async () => {
    const { server } = await setUp(1_500);
    const got: number[] = [];
    let killed = false;
    const net = squares(1_000_000, got, (k) => {
      if (k === 1_000 && !killed) {
        killed = true;
        void server.kill();
      }
    });
    const error = await run(net, { runtime: nats({ servers: server.url, discoverMs: 300, leaseMs: 1_500, heartbeatMs: 250 }) }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkerLostError, `got ${String(error)}`);
    assert.match(String((error.cause as Error | undefined)?.message), /lease|gone/);
    await server.restart();
  });
});
