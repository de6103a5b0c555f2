/**
 * Alts across homes inside a network: a process in one host alts over a channel living on main
 * and one living with it (home: 'reader'), while a process on main alts over that channel on main
 * and one living in another host — so offers of alts arbitrated in two different stations meet on
 * one channel. The output is the same as on local(), on simulated hosts from several seeds, and
 * on threads.
 */
import { describe, expect, it } from 'vitest';
import { local, run } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';
import { threads } from '../../src/threads/index.js';
import { altNet, forward, mergeByAlt, numbers, spread } from '../fixtures/alt-procs.js';

const key = (v: number): number => (v >= 1000 ? v - 1000 : v);
const sorted = (vs: readonly number[]): number[] => vs.map(key).sort((p, q) => p - q);

describe('alts across homes in a network', () => {
  it('give what local() gives on simulated hosts: every value once, from every seed', async () => {
    const expected: number[] = [];
    await run(altNet(expected), { runtime: local() });
    expect(sorted(expected)).toEqual([...Array.from({ length: 12 }, (_, i) => i), ...Array.from({ length: 6 }, (_, i) => 100 + i)]);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const got: number[] = [];
      const sim = new SimNetwork({ choices: seededChoices(seed), maxDelay: 2 });
      await run(altNet(got), { runtime: simulated({ network: sim, processes: [mergeByAlt, forward, spread, numbers], size: 2 }) });
      expect(sorted(got), `seed ${seed}`).toEqual(sorted(expected));
    }
  });

  it('give what local() gives on threads', async () => {
    const expected: number[] = [];
    await run(altNet(expected), { runtime: local() });
    const got: number[] = [];
    await run(altNet(got), { runtime: threads({ size: 2, modules: [new URL('../fixtures/alt-procs.ts', import.meta.url).href] }) });
    expect(sorted(got)).toEqual(sorted(expected));
  });
});
