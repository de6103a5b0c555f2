/**
 * The inspect request over a real server: a worker answers with its load and the processes it can
 * run; a run in progress answers with its channels; once a run has ended its worker no longer
 * lists it; garbage sent to `<prefix>.inspect` is ignored and the worker keeps answering; a
 * malformed answer is dropped, never trusted.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { numbers, square } from '../fixtures/pipeline.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { inspectAll, parseReport } from '../../src/transports/nats/inspect.js';
import { connectBus } from '../../src/transports/nats/nats-client.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;

let server: NatsServer;
let worker: NatsWorker;
beforeAll(async () => {
  server = await startNatsServer();
  worker = await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'seen', timers: realScheduler, prefix: 'insp', concurrency: 4 });
});
afterAll(async () => {
  await worker.stop(500);
  await server.dispose();
});

describe('inspect over NATS', () => {
  it('garbage on the inspect subject gets no answer and the worker keeps answering well-formed requests', async () => {
    const bus = await connectBus({ servers: server.url });
    try {
      for (const garbage of ['', 'not json', '{"v":2}', '[1,2]', '{"v":1']) {
        const answers = await bus.gather('insp.inspect', new TextEncoder().encode(garbage), { maxWaitMs: 200, stallMs: 50 });
        assert.deepEqual(answers, [], `no answer to ${JSON.stringify(garbage)}`);
      }
      const reports = await inspectAll(bus, 'insp.inspect', 500);
      assert.equal(reports.length, 1);
      const [report] = reports;
      assert.ok(report?.role === 'worker');
      assert.equal(report.id, 'seen');
      assert.equal(report.capacity, 4);
      assert.equal(report.running, 0);
      assert.deepEqual(report.runs, []);
      assert.ok(report.processes.includes('square'));
    } finally {
      await bus.close();
    }
  });

  it('a run answers with its channels while it lasts; once it has ended, its worker no longer lists it', async () => {
    const bus = await connectBus({ servers: server.url });
    try {
      let during: Awaited<ReturnType<typeof inspectAll>> = [];
      const sink = process('inspect-sink', async (input: Reader<number>) => {
        let k = 0;
        for await (const v of input) {
          void v;
          if (++k === 10) during = await inspectAll(bus, 'insp.inspect', 500);
        }
      });
      const net = network((n) => {
        // Kept on the runner (by default it would live with its reader, in the worker).
        const xs = n.channel<number>('xs', { buffer: 8, home: 'main' });
        const ys = n.channel<number>('ys', { buffer: 4 });
        n.spawn(numbers(100, xs.writer()));
        n.spawn(square(xs.reader(), ys.writer()));
        n.spawn(sink(ys.reader()), { place: 'main' });
      });
      await run(net, { runtime: nats({ servers: server.url, prefix: 'insp', discoverMs: 300 }) });
      const runner = during.find((r) => r.role === 'runner');
      assert.ok(runner?.role === 'runner');
      assert.deepEqual(runner.workers, ['seen']);
      assert.deepEqual(
        runner.channels.map((c) => [c.name, c.kind, c.capacity]),
        [
          ['xs', 'fixed', 8],
          ['ys', 'fixed', 4],
        ],
      );
      const worker = during.find((r) => r.role === 'worker');
      assert.ok(worker?.role === 'worker');
      assert.deepEqual(
        worker.runs.map((r) => [r.run, r.processes]),
        [[runner.run, [{ name: 'numbers', count: 1 }, { name: 'square', count: 1 }]]],
      );
      const after = await inspectAll(bus, 'insp.inspect', 500);
      assert.deepEqual(
        after.map((r) => (r.role === 'worker' ? [r.id, r.running, r.runs.length] : r.role)),
        [['seen', 0, 0]],
      );
    } finally {
      await bus.close();
    }
  });

  it('a malformed answer is dropped', () => {
    const bytes = (x: unknown): Uint8Array => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
    const good = { v: 1, role: 'runner', id: 'main', run: 'r1', workers: ['a'], channels: [{ name: 'xs', kind: 'fixed', capacity: 8, depth: 3, state: 'open' }] };
    assert.deepEqual(parseReport(bytes(good)), good);
    for (const bad of [
      'nope',
      { ...good, v: 2 },
      { ...good, role: 'boss' },
      { ...good, channels: [{ name: 'xs', kind: 'huge', capacity: 8, depth: 3, state: 'open' }] },
      { ...good, channels: [{ name: 'xs', kind: 'fixed', capacity: -1, depth: 3, state: 'open' }] },
      { v: 1, role: 'worker', id: 'w', capacity: 0, running: 0, draining: false, processes: [1], runs: [] },
      { v: 1, role: 'worker', id: 'w', capacity: 0, running: 0, draining: 'no', processes: [], runs: [] },
    ]) {
      assert.equal(parseReport(bytes(bad)), null, JSON.stringify(bad));
    }
  });
});
