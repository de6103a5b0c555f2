/**
 * Durable channels when the only server is gone for longer than the workers' lease, and when it
 * comes back with other credentials. What holds: the run rejects with WorkerLostError, named, and
 * does not hang — with every worker lost nobody is left to move the durable values, so the runner
 * poisons its durable channels and its own processes end — and the sink saw no value twice. What
 * does not: the run does not resume (a lost worker is not replaced; docs/nats.md, limits).
 * The outage is ordered by the run's own events, not by time: the server comes back only once a
 * worker was reported lost (its lease ran out). Core channels under the same outage:
 * test/nats/faults.test.ts. A worker refused by auth at its start: test/nats/worker-cli.test.ts.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'vitest';
import { start } from '../../src/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { nats, startNatsWorker, WorkerLostError } from '../../src/nats/index.js';
import { startNatsServer, type NatsServer, type NatsServerOptions } from '../../src/testing/nats-server.js';
import { DURABLE_FIXTURE, doubleFarm } from './durable-helpers.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const LEASE_MS = 1_500;

async function setUp(options: NatsServerOptions, prefix: string): Promise<NatsServer> {
  const server = await startNatsServer({ jetstream: true, ...options });
  cleanup.push(() => server.dispose());
  const auth = options.user === undefined ? {} : { user: options.user, pass: options.pass };
  for (const id of ['w1', 'w2']) {
    const w = await startNatsWorker({ servers: server.url, ...auth, prefix, modules: [pathToFileURL(DURABLE_FIXTURE).href], id: `${prefix}-${id}`, timers: realScheduler, leaseMs: LEASE_MS });
    cleanup.push(() => w.stop(500).then(() => {}));
  }
  return server;
}

/**
 * Runs a durable double farm of 2,000 values; after 300 reached the sink the server is killed,
 * and `back()` brings it back once the run reported a worker lost. Resolves with the run's
 * rejection and what the sink got.
 */
async function outage(server: NatsServer, prefix: string, back: () => Promise<void>, auth: { user?: string; pass?: string } = {}): Promise<{ error: Error; got: number[] }> {
  const got: number[] = [];
  let killed: Promise<void> | null = null;
  const seen = (count: number): void => {
    if (count === 300 && killed === null) killed = server.kill();
  };
  const handle = start(doubleFarm(2_000, got, seen), { runtime: nats({ servers: server.url, ...auth, prefix, discoverMs: 300, leaseMs: LEASE_MS, heartbeatMs: 250 }), observe: true });
  let restarted: Promise<void> | null = null;
  for await (const e of handle.events()) {
    if (e.type === 'worker:leave' && 'error' in e && restarted === null) restarted = back();
  }
  const error = await handle.done.then(
    () => assert.fail('the run should have failed'),
    (e: unknown) => e as Error,
  );
  assert.notEqual(killed, null, 'the server was killed mid-run');
  assert.notEqual(restarted, null, 'a worker was reported lost during the outage');
  await restarted;
  return { error, got };
}

describe('a server outage beyond the lease, durable channels', () => {
  it('the server comes back after the lease ran out: the run rejects with WorkerLostError (no hang), the sink saw no value twice', async () => {
    const server = await setUp({}, 'doutage');
    const { error, got } = await outage(server, 'doutage', () => server.restart());
    assert.ok(error instanceof WorkerLostError, `got ${String(error)}`);
    assert.match(error.message, /lease/);
    assert.ok(got.length >= 300 && got.length < 2_000);
    assert.equal(new Set(got).size, got.length, 'no value reached the sink twice');
  }, 60_000);
});

describe('a server restarted with other credentials under a durable run', () => {
  it('the workers cannot come back: the run rejects with WorkerLostError (lease), not a hang, no password in the message', async () => {
    const server = await setUp({ user: 'alice', pass: 'first-pw' }, 'dcreds');
    const { error, got } = await outage(server, 'dcreds', () => server.restart({ user: 'alice', pass: 'second-pw' }), { user: 'alice', pass: 'first-pw' });
    assert.ok(error instanceof WorkerLostError, `got ${String(error)}`);
    assert.match(error.message, /lease/);
    assert.doesNotMatch(error.message, /first-pw|second-pw/);
    assert.equal(new Set(got).size, got.length, 'no value reached the sink twice');
  }, 120_000);
});
