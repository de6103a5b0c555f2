/**
 * Durable channels on a single JetStream server, with `cspflow worker` processes: values flow
 * source → durable → workers → durable → sink; a worker killed with SIGKILL mid-run loses
 * nothing and duplicates nothing at the sink — its processes restarted on the worker left, or on
 * one started later when it was the only one.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { run, start } from '../../src/index.js';
import { DurableAbandonedError, nats } from '../../src/nats/index.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import type { CliWorker } from './cli-worker.js';
import { doubleFarm, durableWorkers, expectedDoubles } from './durable-helpers.js';

let server: NatsServer;
const workers: CliWorker[] = [];
beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
});
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await server.dispose();
});

describe('durable channels over NATS workers', () => {
  it('a farm over durable channels delivers every value exactly once', async () => {
    workers.push(...(await durableWorkers(server.url, 'dfarm', 2)));
    const got: number[] = [];
    await run(doubleFarm(500, got, () => {}), { runtime: nats({ servers: server.url, prefix: 'dfarm', discoverMs: 300 }) });
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(500));
  }, 60_000);
});

describe('a worker killed with SIGKILL mid-run', () => {
  it('10,000 values, one of two workers killed at 30%: the sink sees every value exactly once and the run completes', async () => {
    const pair = await durableWorkers(server.url, 'dkill', 2);
    workers.push(...pair);
    const got: number[] = [];
    let killed = false;
    const seen = (count: number): void => {
      if (count === 3_000 && !killed) {
        killed = true;
        (pair[0] as CliWorker).child.kill('SIGKILL');
      }
    };
    await run(doubleFarm(10_000, got, seen), { runtime: nats({ servers: server.url, prefix: 'dkill', discoverMs: 300 }) });
    assert.ok(killed, 'the worker was killed mid-run');
    assert.equal((await (pair[0] as CliWorker).exited).signal, 'SIGKILL');
    assert.equal(got.length, 10_000, 'no value lost, none duplicated');
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(10_000));
  }, 120_000);
});

describe('the only worker killed with SIGKILL mid-run, a replacement started later', () => {
  it('the lost processes are restarted on the replacement once it starts: the run completes, every value exactly once', async () => {
    const [first] = await durableWorkers(server.url, 'dsolo', 1);
    workers.push(first as CliWorker);
    const got: number[] = [];
    let killed = false;
    const seen = (count: number): void => {
      if (count === 3_000 && !killed) {
        killed = true;
        (first as CliWorker).child.kill('SIGKILL');
      }
    };
    const handle = start(doubleFarm(10_000, got, seen, { replicas: 2 }), { runtime: nats({ servers: server.url, prefix: 'dsolo', discoverMs: 300 }), observe: true });
    let replacement: Promise<CliWorker[]> | null = null;
    const joins: string[] = [];
    for await (const e of handle.events()) {
      // Started only once the run reported the first worker lost: nobody was left to restart on.
      if (e.type === 'worker:leave' && 'error' in e && replacement === null) replacement = durableWorkers(server.url, 'dsolo-late', 1, 'dsolo');
      if (e.type === 'worker:join') joins.push(e.worker);
    }
    await handle.done;
    assert.ok(killed, 'the worker was killed mid-run');
    assert.equal((await (first as CliWorker).exited).signal, 'SIGKILL');
    assert.notEqual(replacement, null, 'the run reported the worker lost');
    workers.push(...(await (replacement as Promise<CliWorker[]>)));
    assert.deepEqual(joins, ['dsolo-0', 'dsolo-late-0'], 'the replacement joined the run');
    assert.equal(got.length, 10_000, 'no value lost, none duplicated');
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(10_000));
  }, 120_000);
});

describe('a worker stopped with SIGTERM mid-run', () => {
  it('gives back the value it holds at once, exits 0, and the other worker finishes the run exactly once', async () => {
    const pair = await durableWorkers(server.url, 'dterm', 2);
    workers.push(...pair);
    const got: number[] = [];
    let stopped = false;
    const seen = (count: number): void => {
      if (count === 600 && !stopped) {
        stopped = true;
        (pair[0] as CliWorker).child.kill('SIGTERM');
      }
    };
    // A 10-minute ack wait: the run completing at all shows the held value was given back at once.
    await run(doubleFarm(2_000, got, seen, { ackWait: 600 }), { runtime: nats({ servers: server.url, prefix: 'dterm', discoverMs: 300 }) });
    assert.ok(stopped);
    const exit = await (pair[0] as CliWorker).exited;
    assert.equal(exit.code, 0, (pair[0] as CliWorker).stdout() + (pair[0] as CliWorker).stderr());
    assert.equal(got.length, 2_000);
    assert.deepEqual([...got].sort((a, b) => a - b), expectedDoubles(2_000));
  }, 120_000);
});

describe('every reader stops while values remain', () => {
  it('both workers stopped with SIGTERM mid-run: the run rejects with DurableAbandonedError instead of completing short', async () => {
    const pair = await durableWorkers(server.url, 'dall', 2);
    workers.push(...pair);
    const got: number[] = [];
    let stopped = false;
    const seen = (count: number): void => {
      if (count === 300 && !stopped) {
        stopped = true;
        for (const w of pair) w.child.kill('SIGTERM');
      }
    };
    const error = await run(doubleFarm(3_000, got, seen), { runtime: nats({ servers: server.url, prefix: 'dall', discoverMs: 300 }) }).then(
      () => assert.fail('the run should not complete'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DurableAbandonedError, String(error));
    assert.equal(error.channel, 'tasks');
    assert.ok(got.length < 3_000);
  }, 120_000);
});
