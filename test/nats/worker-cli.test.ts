/**
 * `cspflow worker` as users run it: a child process per worker, against a real server. Exit codes,
 * credentials never printed, graceful stop, and a worker killed with -9 mid-run.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { nats, WorkerLostError } from '../../src/nats/index.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { numbers, square } from '../fixtures/pipeline.js';
import { FIXTURE_PATH, startCliWorker } from './cli-worker.js';

let server: NatsServer;
let secured: NatsServer;
beforeAll(async () => {
  [server, secured] = await Promise.all([startNatsServer(), startNatsServer({ user: 'alice', pass: 's3cret-pw' })]);
});
afterAll(async () => {
  await Promise.all([server.dispose(), secured.dispose()]);
});

describe('cspflow worker', () => {
  it('refused credentials: exits 6 at once, naming the server, never printing the password', async () => {
    const started = Date.now();
    const w = startCliWorker(['--nats', secured.url, '--module', FIXTURE_PATH], { CSPFLOW_NATS_USER: 'alice', CSPFLOW_NATS_PASS: 'wrong-pw' });
    const { code } = await w.exited;
    assert.equal(code, 6, w.stderr());
    assert.match(w.stderr(), /refused the credentials/);
    assert.doesNotMatch(w.stdout() + w.stderr(), /wrong-pw|s3cret-pw/);
    assert.ok(Date.now() - started < 15_000);
  });

  it('a password inside the URL is never printed either', async () => {
    const url = secured.url.replace('nats://', 'nats://alice:wrong-pw@');
    const w = startCliWorker(['--nats', url, '--module', FIXTURE_PATH]);
    const { code } = await w.exited;
    assert.equal(code, 6);
    assert.doesNotMatch(w.stdout() + w.stderr(), /wrong-pw/);
    assert.match(w.stderr(), /nats:\/\/\*\*\*@127\.0\.0\.1/);
  });

  it('usage errors exit 2; a missing module exits 3', async () => {
    const noModule = startCliWorker(['--nats', server.url]);
    assert.equal((await noModule.exited).code, 2);
    const badFlag = startCliWorker(['--nats', server.url, '--module', FIXTURE_PATH, '--concurrency', 'lots']);
    assert.equal((await badFlag.exited).code, 2);
    const missing = startCliWorker(['--nats', server.url, '--module', './no/such/module.ts']);
    assert.equal((await missing.exited).code, 3);
    assert.match(missing.stderr(), /module not found/);
  });

  it('SIGTERM: withdraws, drains, exits 0', async () => {
    const w = startCliWorker(['--nats', server.url, '--module', FIXTURE_PATH, '--name', 'drainer']);
    await w.ready;
    w.child.kill('SIGTERM');
    const { code, signal } = await w.exited;
    assert.equal(code, 0, `signal ${signal}; stdout: ${w.stdout()} stderr: ${w.stderr()}`);
    assert.match(w.stdout(), /stopping/);
  });

  it('kill -9 of a worker mid-run: the run rejects within the lease with an error naming the worker and its process', async () => {
    const victim = startCliWorker(['--nats', server.url, '--module', FIXTURE_PATH, '--name', 'victim', '--prefix', 'kill9']);
    await victim.ready;
    let seen = 0;
    const slowSink = process('slow-sink', async (input: Reader<number>) => {
      for await (const v of input) {
        void v;
        if (++seen === 100) victim.child.kill('SIGKILL');
      }
    });
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 8 });
      const ys = n.channel<number>('ys', { buffer: 8 });
      n.spawn(numbers(1_000_000, xs.writer()), { place: 'main' });
      n.spawn(square(xs.reader(), ys.writer()));
      n.spawn(slowSink(ys.reader()), { place: 'main' });
    });
    const started = Date.now();
    const error = await run(net, { runtime: nats({ servers: server.url, prefix: 'kill9', discoverMs: 300, leaseMs: 5_000 }) }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WorkerLostError, `got ${String(error)}`);
    assert.equal(error.worker, 'victim');
    assert.equal((error as unknown as { process?: string }).process, 'square');
    assert.ok(Date.now() - started < 5_000 + 2_000, `rejected within the lease (took ${Date.now() - started} ms)`);
    assert.equal((await victim.exited).signal, 'SIGKILL');
  });
});
