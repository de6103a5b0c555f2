/**
 * The NATS runtime end to end against a real server: workers (in this process, each with its own
 * connection) answer discovery and run what is placed on them; the same network gives the same
 * result as on local(); errors cross with their facts; two runs never cross-talk.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { local, network, run } from '../../src/index.js';
import { nats, NatsConnectError, NoWorkersError, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { failOnThree, numbers, square } from '../fixtures/pipeline.js';
import { process, type Reader } from '../../src/index.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;

let server: NatsServer;
let workers: NatsWorker[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  workers = [
    await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'w1', timers: realScheduler }),
    await startNatsWorker({ servers: server.url, modules: [FIXTURE], id: 'w2', timers: realScheduler }),
  ];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(1_000)));
  await server.dispose();
});

const collect = process('collect', async (input: Reader<number>, into: number[]) => {
  for await (const v of input) into.push(v);
});

function squares(n: number, into: number[]) {
  return network((net) => {
    const xs = net.channel<number>('xs', { buffer: 16 });
    const ys = net.channel<number>('ys', { buffer: 16 });
    net.spawn(numbers(n, xs.writer()));
    net.spawn(square(xs.reader(), ys.writer()), { replicas: 2 });
    net.spawn(collect(ys.reader(), into), { place: 'main' });
  });
}

describe('nats runtime', () => {
  it('runs the same network as local() and gives the same values', async () => {
    const here: number[] = [];
    await run(squares(1_000, here), { runtime: local() });
    const there: number[] = [];
    await run(squares(1_000, there), { runtime: nats({ servers: server.url, discoverMs: 300 }) });
    assert.deepEqual([...there].sort((a, b) => a - b), [...here].sort((a, b) => a - b));
    assert.equal(there.length, 1_000);
  });

  it('a process error crosses with its facts: name, message, custom fields, process and worker', async () => {
    const net = network((n) => {
      const xs = n.channel<number>('xs');
      n.spawn(numbers(10, xs.writer()));
      n.spawn(failOnThree(xs.reader()));
    });
    const error = await run(net, { runtime: nats({ servers: server.url, discoverMs: 300 }) }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TypeError, `got ${String(error)}`);
    assert.equal(error.message, 'three is not allowed');
    assert.equal((error as unknown as { code: string }).code, 'E_THREE');
    assert.equal((error as unknown as { process: string }).process, 'fail-on-three');
    assert.ok(['w1', 'w2'].includes((error as unknown as { worker: string }).worker));
  });

  it('two runs with identical channel names at once stay independent', async () => {
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([
      run(squares(300, a), { runtime: nats({ servers: server.url, discoverMs: 300 }) }),
      run(squares(500, b), { runtime: nats({ servers: server.url, discoverMs: 300 }) }),
    ]);
    assert.equal(a.length, 300);
    assert.equal(b.length, 500);
  });

  it('with no worker under the prefix, the run rejects with NoWorkersError saying how to start one', async () => {
    const error = await run(squares(3, []), { runtime: nats({ servers: server.url, prefix: 'nobody', discoverMs: 200 }) }).catch((e: unknown) => e);
    assert.ok(error instanceof NoWorkersError);
    assert.match(error.message, /cspflow worker --nats/);
  });

  it('a server nobody listens on: the run rejects with NatsConnectError naming it, the password hidden', async () => {
    const gone = await startNatsServer();
    const url = gone.url.replace('nats://', 'nats://someone:s3cret@');
    await gone.dispose();
    const error = await run(squares(3, []), { runtime: nats({ servers: url, discoverMs: 200 }) }).catch((e: unknown) => e);
    assert.ok(error instanceof NatsConnectError, String(error));
    assert.equal(error.code, 'ERR_CSPFLOW_NATS_CONNECT');
    assert.equal(error.refused, false);
    assert.ok(error.message.includes(gone.url.replace('nats://', 'nats://***@')), error.message);
    assert.ok(!error.message.includes('s3cret'));
  });
});
