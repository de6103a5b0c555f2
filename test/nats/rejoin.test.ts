/**
 * A worker asked back into a run (decision 0016): the join names the runner's link session; the
 * same join asked again is the same membership, a new session replaces the old one (the runner
 * lost this worker and comes back over a new link), and a join without a session is refused as
 * malformed. The runtime checks its `restartMs`.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { connectBus, type NatsBus } from '../../src/transports/nats/nats-client.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;

let server: NatsServer;
let worker: NatsWorker;
let bus: NatsBus;
beforeAll(async () => {
  server = await startNatsServer();
  worker = await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'back', timers: realScheduler, prefix: 'rejoin' });
  bus = await connectBus({ servers: server.url });
});
afterAll(async () => {
  await bus.close();
  await worker.stop(500);
  await server.dispose();
});

/** The runner of each run the worker takes part in, as it reports to `cspflow inspect`. */
async function runners(): Promise<string[]> {
  const reply = await bus.request('rejoin.inspect', new TextEncoder().encode('{"v":1}'), 2_000);
  const report = JSON.parse(new TextDecoder().decode(reply.data)) as { runs: { runner: string }[] };
  return report.runs.map((r) => r.runner);
}

async function join(message: Record<string, unknown>): Promise<unknown> {
  const reply = await bus.request('rejoin.worker.back.join', new TextEncoder().encode(JSON.stringify({ v: 1, ...message })), 2_000);
  return JSON.parse(new TextDecoder().decode(reply.data));
}

describe('a worker asked back into a run', () => {
  it('the same session is one membership; a new session takes the run over; no session is malformed', async () => {
    assert.deepEqual(await join({ run: 'r1', runner: 'main', session: 7 }), { v: 1, ok: true });
    assert.deepEqual(await join({ run: 'r1', runner: 'main', session: 7 }), { v: 1, ok: true });
    assert.deepEqual(await join({ run: 'r1', runner: 'main-again', session: 7 }), { v: 1, ok: true });
    assert.deepEqual(await runners(), ['main'], 'the same session asked again changes nothing');
    assert.deepEqual(await join({ run: 'r1', runner: 'main-again', session: 8 }), { v: 1, ok: true });
    assert.deepEqual(await runners(), ['main-again'], 'a new session replaces the membership');
    assert.deepEqual(await join({ run: 'r2', runner: 'main' }), { v: 1, ok: false, error: 'the join request was malformed' });
    assert.equal(worker.runs, 1);
  });
});

describe('nats({ restartMs })', () => {
  it('must be a number of milliseconds >= 0', () => {
    assert.throws(() => nats({ servers: server.url, restartMs: -1 }), RangeError);
    assert.throws(() => nats({ servers: server.url, restartMs: Number.NaN }), RangeError);
    assert.doesNotThrow(() => nats({ servers: server.url, restartMs: 0 }));
  });
});
