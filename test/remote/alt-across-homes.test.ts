/**
 * The alt-across-homes cases (src/testing/alt-homes.ts) on the simulated network: this thread and
 * two simulated homes, with per-message delays, each case under a printed seed.
 */
import { describe, expect, it } from 'vitest';
import { altHomesCases, altWorld } from '../../src/testing/alt-homes.js';
import { simHomes } from '../../src/testing/sim/channels.js';

const seed = Number(process.env['CSPFLOW_SEED'] ?? ((Math.random() * 0x7fffffff) | 0));

describe(`alt across homes on the simulated network (CSPFLOW_SEED=${seed})`, () => {
  for (const [n, c] of altHomesCases.entries()) {
    it(c.name, async () => {
      const sim = simHomes({ count: 2, seed: seed + n, maxDelay: 2 });
      await c.run(altWorld([(o) => sim.chan(0, o), (o) => sim.chan(1, o)], () => sim.settle()));
      expect(sim.faults).toEqual([]);
    });
  }
});
