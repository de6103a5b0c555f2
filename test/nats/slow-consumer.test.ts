/**
 * Back-pressure across NATS: 1 KiB values into fixed(64) read at about one per millisecond, with
 * a server whose per-client pending limit is small. The writer (in a worker) follows the reader,
 * nothing queues without bound, and the server never has to cut a slow consumer off.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fixed, network, process, run, sliding, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { indexedBlobs } from '../fixtures/nats-procs.js';

const BLOBS = new URL('../fixtures/nats-procs.ts', import.meta.url).href;
const CAPACITY = 64;

let server: NatsServer;
let worker: NatsWorker;
beforeAll(async () => {
  server = await startNatsServer({ maxPayload: 64 * 1024, maxPending: 256 * 1024 });
  worker = await startNatsWorker({ servers: server.url, modules: [BLOBS], id: 'steady', timers: realScheduler, prefix: 'slow' });
});
afterAll(async () => {
  await worker.stop(500);
  await server.dispose();
});

describe('a slow consumer over NATS', () => {
  it("the writer's pace follows the reader's; buffers stay bounded; no slow-consumer cut-off", async () => {
    const N = 2_000;
    const seen: number[] = [];
    let written = 0;
    let furthestAhead = 0;
    const slowReader = process('slow-reader', async (input: Reader<Uint8Array>) => {
      for await (const blob of input) {
        seen.push(new DataView(blob.buffer, blob.byteOffset).getUint32(0));
        furthestAhead = Math.max(furthestAhead, written - seen.length);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    const watcher = process('progress-watcher', async (input: Reader<number>) => {
      for await (const w of input) written = Math.max(written, w);
    });
    const net = network((n) => {
      const blobs = n.channel<Uint8Array>('blobs', { buffer: fixed(CAPACITY) });
      const progress = n.channel<number>('progress', { buffer: sliding(1) });
      n.spawn(indexedBlobs(blobs.writer(), progress.writer(), N, 1024));
      n.spawn(slowReader(blobs.reader()), { place: 'main' });
      n.spawn(watcher(progress.reader()), { place: 'main' });
    });
    await run(net, { runtime: nats({ servers: server.url, prefix: 'slow', discoverMs: 300 }) });
    assert.deepEqual(seen, Array.from({ length: N }, (_, i) => i), 'every value once, in order');
    assert.ok(written === N, 'the writer reported every write');
    // Accepted writes can be ahead of the reader by the buffer, plus credit a writer holds (at most
    // half the buffer), plus the one value in the reader's hands.
    assert.ok(furthestAhead <= CAPACITY + CAPACITY / 2 + 1, `the writer was ${furthestAhead} values ahead of the reader`);
    assert.ok(furthestAhead >= CAPACITY / 2, `the writer did run ahead into the buffer (${furthestAhead}): the bound above is not vacuous`);
    const varz = (await server.monitor('/varz')) as { slow_consumers: number };
    assert.equal(varz.slow_consumers, 0, 'the server never cut a slow consumer off');
  });
});
