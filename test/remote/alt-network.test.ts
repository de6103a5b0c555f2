/**
 * Alts across homes inside a network: a process in one host alts over a channel living on main
 * and one living with it (home: 'reader'), while a process on main alts over that channel on main
 * and one living in another host — so offers of alts arbitrated in two different stations meet on
 * one channel. The output is the same as on local(), on simulated hosts from several seeds, and
 * on threads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { local, run } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';
import { threads } from '../../src/threads/index.js';
import { seededParams } from '../../src/testing/params.js';
import { altNet, altRing, forward, mergeByAlt, numbers, ringHead, ringNode, spread } from '../fixtures/alt-procs.js';

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

describe('a generated ring of alts with channels homed anywhere the placement allows', () => {
  it('gives on simulated hosts what it gives on local()', async () => {
    const plan = fc.integer({ min: 2, max: 4 }).chain((size) =>
      fc.record({
        onMain: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
        buffers: fc.array(fc.constantFrom(0, 1, 2), { minLength: size, maxLength: size }),
        withReader: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(plan, fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(2), async (p, seed, maxDelay) => {
        const expected: number[] = [];
        await run(altRing(p, 6, 2, expected), { runtime: local() });
        const got: number[] = [];
        const sim = new SimNetwork({ choices: seededChoices(seed), maxDelay });
        await run(altRing(p, 6, 2, got), { runtime: simulated({ network: sim, processes: [ringHead, ringNode], size: 2 }) });
        expect([...got].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
        expect(expected.length).toBe(6);
      }),
      seededParams('a generated ring of alts homed anywhere', { numRuns: 25 }),
    );
  });
});
