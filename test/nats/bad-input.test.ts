/**
 * Bad input on NATS never crashes a worker or hangs a run: garbage on the control subjects is
 * ignored and the worker keeps answering; an unknown process name is a refused placement; a value
 * over the server's max_payload fails at the write naming the limit, while a writeMany totalling
 * more than the limit goes through. Values marked by `transfer` cross NATS as copies.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { connectBus } from '../../src/transports/nats/nats-client.js';
import { blobWriter, movedBlobs } from '../fixtures/nats-procs.js';
import { numbers } from '../fixtures/pipeline.js';

const FIXTURE = new URL('../fixtures/pipeline.ts', import.meta.url).href;
const BLOBS = new URL('../fixtures/nats-procs.ts', import.meta.url).href;
const MAX_PAYLOAD = 64 * 1024;

let server: NatsServer;
let worker: NatsWorker;
beforeAll(async () => {
  server = await startNatsServer({ maxPayload: MAX_PAYLOAD });
  worker = await startNatsWorker({ servers: server.url, modules: [FIXTURE, BLOBS], id: 'sturdy', timers: realScheduler, prefix: 'bad' });
});
afterAll(async () => {
  await worker.stop(500);
  await server.dispose();
});

const runtime = () => nats({ servers: server.url, prefix: 'bad', discoverMs: 300 });

const sink = process('bad-sink', async (input: Reader<Uint8Array>, into: number[]) => {
  for await (const v of input) into.push(v.byteLength);
});

describe('bad input over NATS', () => {
  it('garbage on the discovery and join subjects is ignored: the worker keeps answering', async () => {
    const bus = await connectBus({ servers: server.url });
    const junk = [new Uint8Array(0), Uint8Array.of(0xff, 0x00, 0x13), new TextEncoder().encode('{"v":1,"run":"a.b*"}'), new TextEncoder().encode('[1,2,3]')];
    for (const bytes of junk) {
      bus.publish('bad.discover', bytes, bus.inbox());
      bus.publish('bad.worker.sturdy.join', bytes, bus.inbox());
      bus.publish('bad.worker.sturdy.join', bytes);
    }
    await bus.flush();
    const got: number[] = [];
    const net = network((n) => {
      const xs = n.channel<number>('xs');
      n.spawn(numbers(5, xs.writer()));
      n.spawn(process('bad-collect', async (input: Reader<number>) => {
        for await (const v of input) got.push(v);
      })(xs.reader()), { place: 'main' });
    });
    await run(net, { runtime: runtime() });
    assert.deepEqual(got, [0, 1, 2, 3, 4]);
    await bus.close();
  });

  it('a process name the worker does not know: the placement is refused with a clear error, the worker carries on', async () => {
    const unknown = process('not-exported-anywhere', async () => {});
    const net = network((n) => n.spawn(unknown()));
    await assert.rejects(run(net, { runtime: runtime() }), /no process named "not-exported-anywhere"/);
    const again: number[] = [];
    const ok = network((n) => {
      const xs = n.channel<number>('xs');
      n.spawn(numbers(3, xs.writer()));
      n.spawn(process('bad-collect2', async (input: Reader<number>) => {
        for await (const v of input) again.push(v);
      })(xs.reader()), { place: 'main' });
    });
    await run(ok, { runtime: runtime() });
    assert.deepEqual(again, [0, 1, 2]);
  });

  it("a single value over the server's max_payload fails at the write naming the limit; a writeMany totalling more works", async () => {
    const sizes: number[] = [];
    const reports: string[] = [];
    const net = network((n) => {
      const blobs = n.channel<Uint8Array>('blobs', { buffer: 64 });
      const report = n.channel<string>('report', { buffer: 1 });
      n.spawn(blobWriter(blobs.writer(), report.writer(), 40, 4_000, MAX_PAYLOAD * 2));
      n.spawn(sink(blobs.reader(), sizes), { place: 'main' });
      n.spawn(process('bad-report', async (input: Reader<string>) => {
        for await (const r of input) reports.push(r);
      })(report.reader()), { place: 'main' });
    });
    await run(net, { runtime: runtime() });
    assert.equal(sizes.length, 41, 'the 40 blobs of the writeMany (160 kB in all, over the 64 KiB limit) and the small one arrived');
    assert.ok(sizes.slice(0, 40).every((s) => s === 4_000));
    assert.equal(sizes[40], 10);
    assert.equal(reports.length, 1);
    assert.match(reports[0] as string, /^FrameTooLargeError: a value written on channel "blobs" needs 131080 bytes, more than the \d+ a message may carry/);
  });

  it('transfer() over NATS (a wire that cannot move memory): the values arrive intact, copied; the writer keeps its buffers; one over max_payload fails at the write', async () => {
    const got: number[][] = [];
    const reports: string[] = [];
    const net = network((n) => {
      const blobs = n.channel<Uint8Array>('moved', { buffer: 4 });
      const report = n.channel<string>('report', { buffer: 2 });
      n.spawn(movedBlobs(blobs.writer(), report.writer(), 3, 20_000, MAX_PAYLOAD * 2));
      n.spawn(process('moved-sink', async (input: Reader<Uint8Array>) => {
        for await (const v of input) got.push([v.byteLength, v[0] as number, v[v.length - 1] as number]);
      })(blobs.reader()), { place: 'main' });
      n.spawn(process('moved-report', async (input: Reader<string>) => {
        for await (const r of input) reports.push(r);
      })(report.reader()), { place: 'main' });
    });
    await run(net, { runtime: runtime() });
    assert.deepEqual(got, [[20_000, 1, 1], [20_000, 2, 2], [20_000, 3, 3]]);
    assert.deepEqual(reports, ['FrameTooLargeError', '20000,20000,20000']);
  });
});
