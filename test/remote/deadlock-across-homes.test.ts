/**
 * Deadlock detection across homes: a ring of processes over channels living in three stations
 * (main and two others) is reported with one DeadlockError naming every process of the ring, on
 * simulated hosts and on threads; the same ring started late by a slow process is not.
 */
import { describe, expect, it } from 'vitest';
import { DeadlockError, run, type Runtime } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';
import { threads } from '../../src/threads/index.js';
import { deadlockAfterStream, readOneMore, relayOnce, ringInWorkers, ringOfThree, slowRing, slowRingInWorkers, slowStart, writeThenRead } from '../fixtures/deadlock-procs.js';

const runtimes: readonly [string, (size?: number) => Runtime][] = [
  ['simulated hosts', (size = 2) => simulated({ network: new SimNetwork({ choices: seededChoices(7), maxDelay: 2 }), processes: [relayOnce, slowStart, writeThenRead, readOneMore], size })],
  ['threads', (size = 2) => threads({ size, modules: [new URL('../fixtures/deadlock-procs.ts', import.meta.url).href] })],
];

describe.each(runtimes)('deadlock across homes on %s', (_name, runtime) => {
  it('a ring through channels living in three stations is reported, naming every process', async () => {
    const error = await run(ringOfThree(), { runtime: runtime() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    const blocked = (error as DeadlockError).blocked;
    expect(blocked.map((b) => b.channels[0]).sort()).toEqual(['u', 'x', 'y', 'z']);
    expect(blocked.every((b) => b.process === 'dl-relay-once' && b.operation === 'read')).toBe(true);
  });

  it('a slow process is not a deadlock: the same ring, started late, completes', async () => {
    await expect(run(slowRing(300), { runtime: runtime() })).resolves.toBeUndefined();
  });

  it('a ring through channels living in three workers, joined by direct routes, is reported', async () => {
    const error = await run(ringInWorkers(), { runtime: runtime(3) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    const blocked = (error as DeadlockError).blocked;
    expect(blocked.map((b) => b.channels[0]).sort()).toEqual(['x', 'y', 'z']);
    expect(blocked.every((b) => b.process === 'dl-relay-once' && b.operation === 'read')).toBe(true);
  });

  it('a deadlock that forms after a stream between two workers (no traffic with main since) is reported', async () => {
    const error = await run(deadlockAfterStream(300), { runtime: runtime() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).blocked.map((b) => b.process).sort()).toEqual(['dl-read-one-more', 'dl-write-then-read']);
  });

  it('the same ring over routes, started late, completes', async () => {
    await expect(run(slowRingInWorkers(300), { runtime: runtime(3) })).resolves.toBeUndefined();
  });
});
