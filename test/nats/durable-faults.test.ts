/**
 * Durable channels under faults on one JetStream server: a worker dying after writing its outputs
 * but before its input was acknowledged (the redelivered input's outputs are not stored twice), a
 * worker dying after one output message derived from its input was stored and before the next was
 * published (the input processed again makes the same messages with the same ids), max_deliver exhausted (the channel is poisoned with a named error, no hang), a
 * value over max_payload (a named error at the write), alt over a durable channel (refused), and
 * runtimes that cannot keep values durably (refused).
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { alt, input, local, network, process, run, type Reader, type Writer } from '../../src/index.js';
import { DeliveryExhaustedError, DurableAltError, DurableUnsupportedError, DurableValueTooLargeError, nats } from '../../src/nats/index.js';
import { threads } from '../../src/threads/index.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { durableFanDieOnce, durableSplitDieOnce, FAN } from '../fixtures/durable.js';
import type { CliWorker } from './cli-worker.js';
import { doubleFarm, durableWorkers, sink, source } from './durable-helpers.js';

let server: NatsServer;
let small: NatsServer;
let dir: string;
const workers: CliWorker[] = [];
beforeAll(async () => {
  [server, small] = await Promise.all([startNatsServer({ jetstream: true }), startNatsServer({ jetstream: true, maxPayload: 4_096 })]);
  dir = await mkdtemp(join(tmpdir(), 'cspflow-durable-'));
});
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await Promise.all([server.dispose(), small.dispose(), rm(dir, { recursive: true, force: true })]);
});

const runtime = (prefix: string, url = server.url) => nats({ servers: url, prefix, discoverMs: 300 });

describe('exactly once to the sink', () => {
  it('a worker dies after writing its two outputs, before its input was acknowledged: the input is redelivered, reprocessed elsewhere, and the sink sees each output once', async () => {
    const pair = await durableWorkers(server.url, 'dsplit', 2);
    workers.push(...pair);
    const marker = join(dir, 'died');
    const got: number[] = [];
    const net = network((n) => {
      const tasks = n.channel<number>('tasks', { buffer: 64, durable: { ackWait: 1 } });
      const results = n.channel<number>('results', { buffer: 64, durable: { ackWait: 1 } });
      n.spawn(source(200, tasks.writer()), { place: 'main' });
      n.spawn(durableSplitDieOnce(tasks.reader(), results.writer(), 50, marker), { replicas: 2 });
      n.spawn(sink(results.reader(), got, () => {}), { place: 'main' });
    });
    await run(net, { runtime: runtime('dsplit') });
    const died = await Promise.race(pair.map(async (w) => (await w.exited).signal));
    assert.equal(died, 'SIGKILL', 'one worker died holding value 50');
    assert.equal(got.length, 400, 'no output lost, none duplicated');
    assert.deepEqual([...got].sort((a, b) => a - b), Array.from({ length: 400 }, (_, i) => i));
  }, 90_000);
});

describe('exactly once when values travel many to a message', () => {
  it('a worker dies after one output message derived from its input was stored and before the next was published: the input is processed again, whole, and the sink sees each output once', async () => {
    const pair = await durableWorkers(server.url, 'dfan', 2);
    workers.push(...pair);
    const marker = join(dir, 'fan-died');
    const seen = join(dir, 'fan-seen');
    const dieOn = 70;
    const n = 300;
    const got: number[] = [];
    const seeOutputOfDieOn = (count: number): void => {
      const v = got[count - 1] as number;
      if (Math.floor(v / FAN) === dieOn && !existsSync(seen)) writeFileSync(seen, String(count));
    };
    const net = network((net) => {
      const tasks = net.channel<number>('tasks', { buffer: 256, durable: { ackWait: 1 } });
      const results = net.channel<number>('results', { buffer: 1_024, durable: { ackWait: 1 } });
      net.spawn(source(n, tasks.writer()), { place: 'main' });
      net.spawn(durableFanDieOnce(tasks.reader(), results.writer(), dieOn, seen, marker), { replicas: 2 });
      net.spawn(sink(results.reader(), got, seeOutputOfDieOn), { place: 'main' });
    });
    await run(net, { runtime: runtime('dfan') });
    const died = await Promise.race(pair.map(async (w) => (await w.exited).signal));
    assert.equal(died, 'SIGKILL', 'one worker died holding value 70');
    assert.ok(existsSync(seen), 'an output of value 70 reached the sink before the worker died');
    assert.equal(got.length, n * FAN, 'no output lost, none duplicated');
    assert.deepEqual([...got].sort((a, b) => a - b), Array.from({ length: n * FAN }, (_, i) => i));
  }, 90_000);
});

describe('max_deliver exhausted', () => {
  it('every worker dies on value 7 and maxDeliver is 1: the run rejects with DeliveryExhaustedError naming the channel, instead of hanging', async () => {
    const pair = await durableWorkers(server.url, 'dpoison', 2);
    workers.push(...pair);
    const got: number[] = [];
    const error = await run(doubleFarm(40, got, () => {}, { dieOn: 7, maxDeliver: 1, ackWait: 1 }), { runtime: runtime('dpoison') }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DeliveryExhaustedError, String(error));
    assert.equal(error.code, 'ERR_CSPFLOW_DELIVERY_EXHAUSTED');
    assert.equal(error.channel, 'tasks');
    assert.ok(!got.includes(14), 'value 7 never reached the sink');
  }, 90_000);
});

const bigWriter = process('durable-big-writer', async (out: Writer<string>) => {
  await out.write('small');
  await out.write('x'.repeat(10_000));
});

const drain = process('durable-drain', async (input: Reader<string>) => {
  for await (const v of input) void v;
});

describe('bad input', () => {
  it('a value over the server max_payload fails at the write with DurableValueTooLargeError stating the limit', async () => {
    const net = network((n) => {
      const c = n.channel<string>('big', { buffer: 8, durable: true });
      n.spawn(bigWriter(c.writer()), { place: 'main' });
      n.spawn(drain(c.reader()), { place: 'main' });
    });
    const error = await run(net, { runtime: runtime('dbig', small.url) }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DurableValueTooLargeError, String(error));
    assert.equal(error.channel, 'big');
    assert.ok(error.bytes > error.limit && error.limit < 4_096);
  }, 30_000);

  it('alt over a durable channel is refused with DurableAltError', async () => {
    const chooser = process('durable-chooser', async (a: Reader<number>) => {
      await alt([input(a)]);
    });
    const net = network((n) => {
      const c = n.channel<number>('picked', { buffer: 8, durable: true });
      n.spawn(source(1, c.writer()), { place: 'main' });
      n.spawn(chooser(c.reader()), { place: 'main' });
    });
    const error = await run(net, { runtime: runtime('dalt') }).then(
      () => assert.fail('the run should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DurableAltError || (error instanceof Error && error.cause instanceof DurableAltError), String(error));
  }, 30_000);

  it('local() and threads() refuse a durable channel with DurableUnsupportedError', async () => {
    const net = network((n) => {
      const c = n.channel<number>('kept', { buffer: 8, durable: true });
      n.spawn(source(3, c.writer()));
      n.spawn(sink(c.reader(), [], () => {}));
    });
    for (const rt of [local(), threads({ size: 1, modules: [] })]) {
      const error = await Promise.resolve()
        .then(() => run(net, { runtime: rt }))
        .then(
          () => assert.fail('the run should have been refused'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof DurableUnsupportedError, String(error));
      assert.equal(error.channel, 'kept');
    }
  });

  it('a durable channel needs a buffer', () => {
    assert.throws(() => network((n) => void n.channel('unbounded', { durable: true })), /buffer/);
  });
});
