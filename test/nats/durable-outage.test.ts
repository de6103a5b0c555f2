/**
 * The only server gone for longer than the workers' lease, then back (issue 10, test 3), over the
 * same network with durable channels and with core channels. Durable: the runner and the workers
 * (`cspflow worker` processes, whose lease is the run's) ride out the outage on their connections; the workers lost are asked back into the run and the
 * processes lost with them (every channel durable) are restarted there, so the run completes with
 * every value exactly once at the sink. Core: the values the lost links held are gone, so the run
 * rejects with WorkerLostError, no hang. A server back with other credentials lets no worker back:
 * the run rejects with RestartTimeoutError after `restartMs`, no hang.
 * The outage is ordered by the run's own events, not by time: the server comes back only once
 * every worker was reported lost (its lease ran out). Decision 0016.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'vitest';
import { network, start, type Network } from '../../src/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { nats, RestartTimeoutError, startNatsWorker, WorkerLostError } from '../../src/nats/index.js';
import { startNatsServer, type NatsServer, type NatsServerOptions } from '../../src/testing/nats-server.js';
import { durableDouble } from '../fixtures/durable.js';
import { startCliWorker, type CliWorker } from './cli-worker.js';
import { DURABLE_FIXTURE, doubleFarm, expectedDoubles, sink, source } from './durable-helpers.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const LEASE_MS = 1_500;
const WORKERS = 2;

/**
 * A JetStream server and WORKERS workers under `prefix`, with the lease of the run: in this
 * process, or as `cspflow worker` processes (which must not exit during the outage).
 */
async function setUp(options: NatsServerOptions, prefix: string, kind: 'in-process' | 'cli' = 'in-process'): Promise<{ server: NatsServer; cli: CliWorker[] }> {
  const server = await startNatsServer({ jetstream: true, ...options });
  cleanup.push(() => server.dispose());
  const auth = options.user === undefined ? {} : { user: options.user, pass: options.pass };
  const cli: CliWorker[] = [];
  if (kind === 'cli') {
    const args = (i: number): string[] => ['--nats', server.url, '--module', DURABLE_FIXTURE, '--name', `${prefix}-w${i}`, '--prefix', prefix, '--lease', String(LEASE_MS / 1_000)];
    cli.push(...Array.from({ length: WORKERS }, (_, i) => startCliWorker(args(i))));
    cleanup.push(async () => {
      for (const w of cli) w.child.kill('SIGKILL');
    });
    await Promise.all(cli.map((w) => w.ready));
    return { server, cli };
  }
  for (let i = 0; i < WORKERS; i++) {
    const w = await startNatsWorker({ servers: server.url, ...auth, prefix, modules: [pathToFileURL(DURABLE_FIXTURE).href], id: `${prefix}-w${i}`, timers: realScheduler, leaseMs: LEASE_MS });
    cleanup.push(() => w.stop(500).then(() => {}));
  }
  return { server, cli };
}

/** The double farm of durable-helpers.ts with core channels. */
function coreFarm(n: number, got: number[], seen: (count: number) => void): Network {
  return network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: 256 });
    const results = net.channel<number>('results', { buffer: 256 });
    net.spawn(source(n, tasks.writer()), { place: 'main' });
    net.spawn(durableDouble(tasks.reader(), results.writer(), null), { replicas: WORKERS });
    net.spawn(sink(results.reader(), got, seen), { place: 'main' });
  });
}

interface Outcome {
  /** The run's rejection, or null if it completed. */
  readonly error: Error | null;
  readonly got: number[];
  /** Workers reported lost, and reported joining after the first loss. */
  readonly lost: number;
  readonly rejoined: number;
  /** The worker ids of the run's last snapshot, main's included. */
  readonly workerIds: string[];
}

/**
 * Runs `net` (filling `got`); after 300 values reached the sink the server is stopped, and `back()`
 * brings it back once every worker was reported lost. (Stopped, not killed: the only server
 * killed with kill -9 has its own test, in durable-cluster.test.ts.)
 */
async function outage(server: NatsServer, prefix: string, make: (got: number[], seen: (count: number) => void) => Network, back: () => Promise<void>, extra: Record<string, unknown> = {}): Promise<Outcome> {
  const got: number[] = [];
  let killed: Promise<void> | null = null;
  const seen = (count: number): void => {
    if (count === 300 && killed === null) killed = server.stop();
  };
  const runtime = nats({ servers: server.url, prefix, discoverMs: 300, leaseMs: LEASE_MS, heartbeatMs: 250, ...extra });
  const handle = start(make(got, seen), { runtime, observe: true });
  let restarted: Promise<void> | null = null;
  let lost = 0;
  let rejoined = 0;
  for await (const e of handle.events()) {
    if (e.type === 'worker:leave' && 'error' in e) {
      lost++;
      if (lost === WORKERS && restarted === null) restarted = (killed ?? Promise.resolve()).then(back);
    }
    if (e.type === 'worker:join' && lost > 0) rejoined++;
  }
  const error = await handle.done.then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.notEqual(killed, null, 'the server was stopped mid-run');
  assert.notEqual(restarted, null, 'every worker was reported lost during the outage');
  await restarted;
  return { error, got, lost, rejoined, workerIds: handle.snapshot().workers.map((w) => w.id) };
}

describe('a server outage beyond the lease', () => {
  it('durable channels: the `cspflow worker`s wait the outage out, are asked back, the lost processes are restarted there, and the run completes with every value exactly once', async () => {
    const { server, cli } = await setUp({}, 'doutage', 'cli');
    // The server stays away two more leases after the last loss (three leases at least in all):
    // the outage's length, not an ordering — the order comes from the run's events.
    const later = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    const { error, got, lost, rejoined, workerIds } = await outage(server, 'doutage', (got, seen) => doubleFarm(2_000, got, seen), () => later().then(() => server.restart()));
    assert.equal(error, null, `the run should complete, got ${String(error)}`);
    for (const w of cli) assert.equal(w.child.exitCode, null, `a worker exited during the outage: ${w.stderr()}`);
    assert.equal(lost, WORKERS, 'every worker was lost to the outage');
    assert.ok(rejoined >= 1, 'a worker was asked back into the run');
    assert.equal(new Set(workerIds).size, workerIds.length, `a worker asked back is one row of the snapshot: ${workerIds.join(', ')}`);
    assert.equal(got.length, 2_000, 'no value lost, none twice');
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(2_000));
  }, 90_000);

  it('core channels: the run rejects with WorkerLostError (lease), no hang', async () => {
    const { server } = await setUp({}, 'coutage');
    const { error, lost } = await outage(server, 'coutage', (got, seen) => coreFarm(2_000, got, seen), () => server.restart());
    assert.ok(error instanceof WorkerLostError, `got ${String(error)}`);
    assert.match(error.message, /lease/);
    assert.equal(lost, WORKERS);
  }, 90_000);
});

describe('a server restarted with other credentials under a durable run', () => {
  it('no worker can come back: the run rejects with RestartTimeoutError after restartMs (cause: the loss), no hang, no password in the message', async () => {
    const { server } = await setUp({ user: 'alice', pass: 'first-pw' }, 'dcreds');
    const { error, got } = await outage(server, 'dcreds', (got, seen) => doubleFarm(2_000, got, seen), () => server.restart({ user: 'alice', pass: 'second-pw' }), {
      user: 'alice',
      pass: 'first-pw',
      restartMs: 3_000,
    });
    assert.ok(error instanceof RestartTimeoutError, `got ${String(error)}`);
    assert.equal(error.code, 'ERR_CSPFLOW_RESTART_TIMEOUT');
    assert.ok(error.cause instanceof WorkerLostError, `cause ${String(error.cause)}`);
    assert.doesNotMatch(error.message, /first-pw|second-pw/);
    assert.equal(new Set(got).size, got.length, 'no value reached the sink twice');
  }, 120_000);
});
