/**
 * The run's event stream on the NATS runtime: each worker joining and leaving (a worker killed
 * with -9 leaves with the error it was lost with), the transport's connection going down and up
 * again across a server outage, and a snapshot's workers being the NATS workers of the run.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'vitest';
import { network, process, start, type CspflowEvent, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, WorkerLostError } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { numbers, square } from '../fixtures/pipeline.js';
import { FIXTURE_PATH, startCliWorker } from './cli-worker.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setUp(ids: readonly string[], leaseMs = 10_000): Promise<NatsServer> {
  const server = await startNatsServer();
  cleanup.push(() => server.dispose());
  for (const id of ids) {
    const w = await startNatsWorker({ servers: server.url, modules: [FIXTURE], id, timers: realScheduler, leaseMs });
    cleanup.push(() => w.stop(500).then(() => {}));
  }
  return server;
}

async function collect(events: AsyncIterable<CspflowEvent>): Promise<CspflowEvent[]> {
  const all: CspflowEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

/** numbers → square ×2 (on workers) → a sink here that calls `at(k)` after the k-th value. */
function squares(n: number, at: (k: number) => void = () => {}) {
  let k = 0;
  const sink = process('events-sink', async (input: Reader<number>) => {
    for await (const v of input) {
      void v;
      at(++k);
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

const runtimeEvents = (events: readonly CspflowEvent[]): CspflowEvent[] => events.filter((e) => e.type === 'worker:join' || e.type === 'worker:leave' || e.type === 'connection');

describe('events of a run on NATS', () => {
  it('the connection comes up, each worker joins, then leaves when the run ends; the snapshot lists them', async () => {
    const server = await setUp(['e1', 'e2']);
    const handle = start(squares(1_000), { runtime: nats({ servers: server.url, discoverMs: 300 }), observe: true });
    const events = await collect(handle.events());
    await handle.done;
    const types = events.map((e) => e.type);
    const seen = runtimeEvents(events);
    assert.deepEqual(seen[0], { type: 'connection', transport: 'nats', status: 'up', detail: 'connected' });
    assert.deepEqual(
      seen.filter((e) => e.type === 'worker:join').map((e) => (e as { worker: string }).worker).sort(),
      ['e1', 'e2'],
    );
    assert.deepEqual(
      seen.filter((e) => e.type === 'worker:leave').sort((a, b) => (a as { worker: string }).worker.localeCompare((b as { worker: string }).worker)),
      [
        { type: 'worker:leave', worker: 'e1' },
        { type: 'worker:leave', worker: 'e2' },
      ],
    );
    assert.ok(types.lastIndexOf('worker:join') < types.indexOf('worker:leave'));
    assert.ok(types.lastIndexOf('worker:leave') < types.indexOf('run:end'));
    const workers = handle.snapshot().workers;
    assert.deepEqual(workers.map((w) => w.id).sort(), ['e1', 'e2', 'main']);
    for (const w of workers) if (w.id !== 'main') assert.equal(w.processes, 0, 'every process there has ended');
  });

  it('a server outage mid-run: the connection goes down and comes up again, and the run completes', async () => {
    const server = await setUp(['o1', 'o2']);
    let fault: Promise<void> | null = null;
    const net = squares(20_000, (k) => {
      if (k === 2_000 && fault === null) {
        fault = (async () => {
          await server.kill();
          await new Promise((resolve) => setTimeout(resolve, 500));
          await server.restart();
        })();
      }
    });
    const handle = start(net, { runtime: nats({ servers: server.url, discoverMs: 300, leaseMs: 10_000 }), observe: true });
    const events = await collect(handle.events());
    await handle.done;
    await fault;
    const statuses = runtimeEvents(events)
      .filter((e) => e.type === 'connection')
      .map((e) => (e as { status: string }).status);
    assert.deepEqual(statuses.slice(0, 3), ['up', 'down', 'up']);
    const down = runtimeEvents(events).find((e) => e.type === 'connection' && e.status === 'down') as { detail?: string };
    assert.match(down.detail ?? '', /^disconnected from 127\.0\.0\.1:\d+$/);
  });

  it('a worker killed with -9 leaves with the error it was lost with', async () => {
    const server = await startNatsServer();
    cleanup.push(() => server.dispose());
    const victim = startCliWorker(['--nats', server.url, '--module', FIXTURE_PATH, '--name', 'doomed', '--prefix', 'evkill']);
    cleanup.push(async () => {
      victim.child.kill('SIGKILL');
      await victim.exited;
    });
    await victim.ready;
    const net = squares(10_000_000, (k) => {
      if (k === 100) victim.child.kill('SIGKILL');
    });
    const handle = start(net, { runtime: nats({ servers: server.url, prefix: 'evkill', discoverMs: 300, leaseMs: 5_000, confirmMs: 500 }), observe: true });
    const events = await collect(handle.events());
    await assert.rejects(handle.done, WorkerLostError);
    const leave = runtimeEvents(events).filter((e) => e.type === 'worker:leave');
    assert.equal(leave.length, 1);
    assert.equal((leave[0] as { worker: string }).worker, 'doomed');
    assert.equal((leave[0] as { error?: { name: string } }).error?.name, 'WorkerLostError');
  }, 30_000);
});
