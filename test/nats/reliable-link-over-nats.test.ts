/**
 * The reliable link over real NATS: exactly once and in order across a server restart (core NATS
 * alone loses what is in flight), and a peer whose process is gone is lost within the lease.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { realScheduler } from '../../src/core/scheduler.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { connectBus, type NatsBus } from '../../src/transports/nats/nats-client.js';
import { natsLink } from '../../src/transports/nats/nats-link.js';
import { NatsPorts } from '../../src/transports/nats/nats-ports.js';
import { RunSubjects } from '../../src/transports/nats/subjects.js';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  await server.dispose();
});

function u32(n: number): Uint8Array {
  const b = new Uint8Array(16);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

describe('reliable link over NATS', () => {
  it('delivers 100,000 messages exactly once and in order across a server restart', async () => {
    const buses: NatsBus[] = [await connectBus({ servers: server.url }), await connectBus({ servers: server.url })];
    const subjects = new RunSubjects('cspflow', 'run1');
    const pa = new NatsPorts(buses[0] as NatsBus, subjects, 'a', { timers: realScheduler });
    const pb = new NatsPorts(buses[1] as NatsBus, subjects, 'b', { timers: realScheduler });
    const a = natsLink(pa, 'b', { session: 1, timers: realScheduler, window: 512, leaseMs: 30_000 });
    const b = natsLink(pb, 'a', { session: 2, timers: realScheduler, window: 512, leaseMs: 30_000 });
    const N = 100_000;
    let next = 0;
    let outOfOrder = 0;
    let restarted = false;
    let restart: Promise<void> = Promise.resolve();
    const done = new Promise<void>((resolve) => {
      b.onMessage((m) => {
        const n = new DataView(m.buffer, m.byteOffset).getUint32(0);
        if (n !== next) outOfOrder++;
        next = n + 1;
        if (!restarted && next >= N / 3) {
          restarted = true;
          restart = server.restart();
        }
        if (next === N) resolve();
      });
    });
    const lost: unknown[] = [];
    a.onLost((e) => lost.push(e));
    b.onLost((e) => lost.push(e));
    for (let i = 0; i < N; i++) a.send(u32(i));
    await done;
    await restart;
    assert.equal(outOfOrder, 0);
    assert.equal(next, N);
    assert.ok(restarted, 'the server was restarted mid-stream');
    assert.deepEqual(lost, []);
    a.close();
    b.close();
    pa.close();
    pb.close();
    await Promise.all(buses.map((x) => x.close()));
  });

  it('a peer whose connection vanishes is found gone by the no-responders probe, well within the lease', async () => {
    const buses: NatsBus[] = [await connectBus({ servers: server.url }), await connectBus({ servers: server.url })];
    const subjects = new RunSubjects('cspflow', 'run2');
    const pa = new NatsPorts(buses[0] as NatsBus, subjects, 'a', { timers: realScheduler, confirmMs: 200 });
    const pb = new NatsPorts(buses[1] as NatsBus, subjects, 'b', { timers: realScheduler, confirmMs: 200 });
    const a = natsLink(pa, 'b', { session: 1, timers: realScheduler, heartbeatMs: 100, leaseMs: 600_000 });
    const b = natsLink(pb, 'a', { session: 2, timers: realScheduler, heartbeatMs: 100, leaseMs: 600_000 });
    await new Promise<void>((resolve) => {
      const poll = (): void => (a.isOpen && b.isOpen ? resolve() : void setImmediate(poll));
      poll();
    });
    const why = new Promise<string>((resolve) => a.onLost((e) => resolve(e.reason)));
    // b's process "dies": its connection goes away without a goodbye.
    pb.close();
    await (buses[1] as NatsBus).close();
    assert.equal(await why, 'peer-gone', 'found by the probe: the lease (10 minutes) never ran out');
    a.close();
    b.close();
    pa.close();
    await (buses[0] as NatsBus).close();
  });
});
