/**
 * The reliable link over a lossy path: whatever the path drops, duplicates or reorders, messages
 * arrive exactly once and in order while both sides live; a silent peer, a restarted peer and a
 * closed peer are each reported once, with their reason. Virtual time: nothing sleeps.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { LinkLostError } from '../../src/remote/link-errors.js';
import { ReliableLink, type ReliableLinkOptions } from '../../src/remote/reliable-link.js';
import { seededParams } from '../../src/testing/params.js';
import { LossyWorld, type Weather } from './lossy-world.js';

const CALM: Weather = { drop: 0, duplicate: 0, maxDelayMs: 0 };

function pair(world: LossyWorld, options: Partial<ReliableLinkOptions> = {}, maxBytes = 256) {
  const [pa, pb] = world.ports(maxBytes);
  const a = new ReliableLink(pa, { peer: 'b', session: 11, timers: world, ...options });
  const b = new ReliableLink(pb, { peer: 'a', session: 22, timers: world, ...options });
  const gotA: number[] = [];
  const gotB: number[] = [];
  a.onMessage((m) => gotA.push(m[0] as number));
  b.onMessage((m) => gotB.push(m[0] as number));
  const lost: LinkLostError[] = [];
  a.onLost((e) => lost.push(e));
  b.onLost((e) => lost.push(e));
  return { a, b, pa, pb, gotA, gotB, lost };
}

const byte = (n: number): Uint8Array => Uint8Array.of(n & 0xff);

describe('reliable link', () => {
  it('delivers every message exactly once, in order, both ways, whatever the path drops, duplicates or reorders', () => {
    const weatherArb = fc.record({
      drop: fc.double({ min: 0, max: 0.4, noNaN: true }),
      duplicate: fc.double({ min: 0, max: 0.4, noNaN: true }),
      maxDelayMs: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), weatherArb, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 64 }), (seed, weather, n, window) => {
        const world = new LossyWorld(seed, weather);
        const { a, b, gotA, gotB, lost } = pair(world, { window, leaseMs: 600_000, heartbeatMs: 1000 });
        for (let i = 0; i < n; i++) {
          a.send(byte(i));
          b.send(byte(i * 7));
        }
        world.run(() => gotA.length === n && gotB.length === n, 3_000_000);
        assert.deepEqual(gotB, Array.from({ length: n }, (_, i) => i & 0xff), 'b receives what a sent, once, in order');
        assert.deepEqual(gotA, Array.from({ length: n }, (_, i) => (i * 7) & 0xff), 'a receives what b sent, once, in order');
        assert.deepEqual(lost, [], 'no link was lost');
        world.run(() => false, world.time + 30_000);
        assert.equal(a.unacknowledged + b.unacknowledged, 0, 'both sides saw everything acknowledged');
        assert.deepEqual(gotB.length, n, 'no late duplicate was delivered');
      }),
      seededParams('reliable link under loss', { numRuns: 150 }),
    );
  });

  it('sends nothing before the handshake: a message sent before the peer listens is not lost', () => {
    const world = new LossyWorld(1, CALM);
    const [pa, pb] = world.ports(256);
    const a = new ReliableLink(pa, { peer: 'b', session: 1, timers: world });
    a.send(byte(42));
    world.run(() => false, 1_000);
    // The peer starts listening only now (its HELLOs so far went nowhere).
    const got: number[] = [];
    const b = new ReliableLink(pb, { peer: 'a', session: 2, timers: world });
    b.onMessage((m) => got.push(m[0] as number));
    world.run(() => got.length > 0, 5_000);
    assert.deepEqual(got, [42]);
    assert.ok(a.isOpen && b.isOpen);
  });

  it('a peer silent for the whole lease is lost once, as lease-expired; a handshake nobody answers likewise', () => {
    const world = new LossyWorld(2, CALM);
    const { a, lost } = pair(world, { heartbeatMs: 100, leaseMs: 1_000 });
    world.run(() => a.isOpen, 1_000);
    world.partitioned = true;
    const cut = world.time;
    world.run(() => lost.length === 2, cut + 10_000);
    assert.equal(lost.length, 2);
    for (const e of lost) {
      assert.ok(e instanceof LinkLostError);
      assert.equal(e.reason, 'lease-expired');
      assert.equal(e.code, 'ERR_CSPFLOW_LINK_LOST');
    }
    assert.ok(world.time - cut <= 1_000 + 200, `lost within the lease plus one beat (took ${world.time - cut} ms of virtual time)`);
    world.run(() => false, world.time + 10_000);
    assert.equal(lost.length, 2, 'reported once per side');

    const lonely = new LossyWorld(3, CALM);
    const [alone] = lonely.ports(256);
    const orphan = new ReliableLink(alone, { peer: 'nobody', session: 5, timers: lonely, heartbeatMs: 100, leaseMs: 500 });
    const why: string[] = [];
    orphan.onLost((e) => why.push(e.reason));
    lonely.run(() => why.length > 0, 10_000);
    assert.deepEqual(why, ['lease-expired']);
  });

  it('a peer that comes back with a new session is reported as restarted, not silently resumed', () => {
    const world = new LossyWorld(4, CALM);
    const [pa, pb] = world.ports(256);
    const a = new ReliableLink(pa, { peer: 'b', session: 1, timers: world });
    const b1 = new ReliableLink(pb, { peer: 'a', session: 2, timers: world });
    world.run(() => a.isOpen && b1.isOpen, 1_000);
    const why: string[] = [];
    a.onLost((e) => why.push(e.reason));
    // b restarts: a new link with a new session on the same path.
    const [, pb2] = [pa, pb];
    const b2 = new ReliableLink(pb2, { peer: 'a', session: 3, timers: world });
    void b2;
    world.run(() => why.length > 0, 5_000);
    assert.deepEqual(why, ['peer-restarted']);
  });

  it('close tells the peer: its link is lost as peer-closed, and nothing more is sent', () => {
    const world = new LossyWorld(5, CALM);
    const { a, b, pa, lost } = pair(world);
    world.run(() => a.isOpen && b.isOpen, 1_000);
    a.close();
    world.run(() => lost.length > 0, 1_000);
    assert.equal(lost.length, 1);
    assert.equal(lost[0]?.reason, 'peer-closed');
    const sent = pa.sent;
    a.send(byte(1));
    world.run(() => false, world.time + 10_000);
    assert.equal(pa.sent, sent, 'a closed link sends nothing');
  });

  it('garbage and packets for another session are ignored; the link keeps working', () => {
    const world = new LossyWorld(6, CALM);
    const { a, b, pb, gotB, lost } = pair(world);
    world.run(() => a.isOpen && b.isOpen, 1_000);
    pb.deliver(new Uint8Array(0));
    pb.deliver(Uint8Array.of(99, 1, 2, 3));
    pb.deliver(new Uint8Array(40).fill(3));
    a.send(byte(7));
    world.run(() => gotB.length > 0, 1_000);
    assert.deepEqual(gotB, [7]);
    assert.deepEqual(lost, []);
  });

  it('a handler that throws loses the link with the error as cause, instead of swallowing it', () => {
    const world = new LossyWorld(7, CALM);
    const { a, b, lost } = pair(world);
    b.onMessage(() => {
      throw new Error('boom');
    });
    a.send(byte(1));
    world.run(() => lost.length > 0, 1_000);
    assert.equal(lost[0]?.reason, 'handler-threw');
    assert.equal((lost[0]?.cause as Error).message, 'boom');
  });

  it('refuses a message larger than the path can carry, naming both sizes', () => {
    const world = new LossyWorld(8, CALM);
    const { a } = pair(world, {}, 64);
    assert.equal(a.maxMessageBytes, 64 - 17);
    assert.throws(() => a.send(new Uint8Array(48)), /48 bytes exceeds this link's limit of 47/);
    a.send(new Uint8Array(47));
  });

  it('in-flight data is bounded by the window while the peer does not acknowledge', () => {
    const world = new LossyWorld(9, CALM);
    const { a, pa } = pair(world, { window: 8, leaseMs: 600_000 });
    world.run(() => a.isOpen, 1_000);
    world.partitioned = true;
    const before = pa.sent;
    for (let i = 0; i < 100; i++) a.send(byte(i));
    assert.equal(pa.sent - before, 8, 'eight data packets left; the other 92 wait for acks');
  });
});
