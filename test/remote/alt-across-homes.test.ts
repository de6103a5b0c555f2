/**
 * The alt-across-homes cases (src/testing/alt-homes.ts) on the simulated network: this thread and
 * two simulated homes, with per-message delays, each case under a printed seed.
 */
import { describe, expect, it } from 'vitest';
import { alt, chan, input } from '../../src/index.js';
import { altHomesCases, altWorld } from '../../src/testing/alt-homes.js';
import { pollWrite } from '../../src/testing/conformance/support.js';
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

describe(`an alt across homes when a home is lost (CSPFLOW_SEED=${seed})`, () => {
  it('fails with the loss, and its offers elsewhere are withdrawn', async () => {
    const sim = simHomes({ count: 2, seed, maxDelay: 2 });
    const a = sim.chan<number>(0, { name: 'a' });
    const b = sim.chan<number>(1, { name: 'b' });
    const c = chan<number>({ name: 'c' });
    const gone = new Error('home 2 is gone');
    const run = alt([input(a.reader()), input(b.reader()), input(c.reader())]).catch((e: unknown) => e);
    await sim.settle();
    (sim.peers[1] as (typeof sim.peers)[number]).lose(gone);
    expect(await run).toBe(gone);
    await sim.settle();
    expect(await pollWrite(a.writer(), 1)).toEqual({ ok: false, reason: 'full' });
    expect(c.writer().tryWrite(1)).toEqual({ ok: false, reason: 'full' });
  });
});
