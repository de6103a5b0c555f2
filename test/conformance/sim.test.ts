/**
 * The conformance suite on the simulated network: every channel lives on a simulated host and
 * every end the cases use is a proxy on another, the messages between them delivered in an order
 * a seeded choice source picks (one network per case, seed printed; a failure names its seed and
 * the replay string of the deliveries).
 */
import { describe, it } from 'vitest';
import { conformanceCases } from '../../src/testing/conformance/index.js';
import { simChannels } from '../../src/testing/sim/channels.js';

const fromEnv = process.env['CSPFLOW_SEED'];
const base = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (Math.random() * 0x7fffffff) | 0;
console.log(`[cspflow/testing] conformance on the simulated network: seed ${base} (case i uses seed ${base} + i)   (CSPFLOW_SEED=${base} repeats it)`);

describe('conformance: simulated network (channels homed on another simulated host, every end a proxy)', () => {
  for (const [i, c] of conformanceCases().entries()) {
    it(c.name, async () => {
      const sim = simChannels({ seed: base + i, maxDelay: 2 });
      try {
        await c.run({ name: 'sim', exactTry: false, chan: (options) => sim.chan(options), settle: () => sim.settle() });
      } catch (error) {
        if (error instanceof Error) error.message += `\n  (simulated network: seed ${base + i}, ${sim.network.delivered} deliveries, replay "${sim.network.replay}")`;
        throw error;
      }
    });
  }
});
