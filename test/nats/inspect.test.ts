/**
 * The inspect request over a real server: a worker answers with its load and the processes it can
 * run; garbage sent to `<prefix>.inspect` is ignored and the worker keeps answering; a malformed
 * answer is dropped, never trusted.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
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
