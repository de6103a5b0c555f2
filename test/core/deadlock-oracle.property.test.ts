/**
 * D1–D4: incremental deadlock detection reports exactly what a full scan would. Random networks
 * (processes reading, writing, alting and pausing for a turn of the event loop over shared
 * channels, the main program holding some ends for a while) run on the real scheduler; at every scan, the processes whose operation the
 * detector fails must be exactly the greatest deadlocked set a full scan of every live process
 * finds just before it (the oracle below is the whole-network algorithm the detector replaced).
 * Every network must also end: a missed deadlock would hang it. Prints its fast-check seed.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { alt, breathingScheduler, chan, fixed, input, par, process, useScheduler, type Channel, type Reader, type Writer } from '../../src/index.js';
import type { Blocking, ProcessRecord } from '../../src/core/process-record.js';
import { currentRuntime } from '../../src/core/runtime.js';

const env = globalThis.process.env;
const seed = Number(env['FC_SEED'] ?? Date.now() % 2 ** 31);
console.log(`deadlock-oracle.property.test.ts: fast-check seed ${seed} (replay: FC_SEED=${seed} npx vitest run test/core/deadlock-oracle.property.test.ts)`);

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The greatest set of candidates closed under "every live end of every channel waited on is held inside". */
function fullScan(live: ReadonlySet<ProcessRecord>): Set<ProcessRecord> {
  const on = new Map<ProcessRecord, Blocking>();
  for (const p of live) {
    const op = p.blockedOn;
    if (op !== null && !op.escapable) on.set(p, op);
  }
  const stuck = new Set(on.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of stuck) {
      const closed = (on.get(p) as Blocking).channelsBlocking().every((c) =>
        [...c.liveEnds()].every((end) => {
          const active = end.holders.filter((h) => !h.keeper);
          return active.length > 0 && active.every((h) => stuck.has(h));
        }),
      );
      if (!closed) {
        stuck.delete(p);
        changed = true;
      }
    }
  }
  return stuck;
}

type Step = { readonly op: 'read' | 'write'; readonly ch: number } | { readonly op: 'alt'; readonly chs: readonly number[] } | { readonly op: 'pause' };

interface Network {
  readonly kinds: readonly number[];
  readonly scripts: readonly (readonly Step[])[];
  /** Ends the main program holds: channel, side, and after how many turns it retires them. */
  readonly mainEnds: readonly { readonly ch: number; readonly side: 'reader' | 'writer'; readonly turns: number }[];
}

const networkArb: fc.Arbitrary<Network> = fc.integer({ min: 1, max: 4 }).chain((nch) => {
  const ch = fc.integer({ min: 0, max: nch - 1 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('read' as const), ch }),
    fc.record({ op: fc.constant('write' as const), ch }),
    fc.record({ op: fc.constant('alt' as const), chs: fc.uniqueArray(ch, { minLength: 1, maxLength: 3 }) }),
    fc.record({ op: fc.constant('pause' as const) }),
  );
  return fc.record({
    kinds: fc.array(fc.constantFrom(0, 1, 2), { minLength: nch, maxLength: nch }),
    scripts: fc.array(fc.array(step, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 6 }),
    mainEnds: fc.array(fc.record({ ch, side: fc.constantFrom('reader' as const, 'writer' as const), turns: fc.integer({ min: 0, max: 4 }) }), { maxLength: 2 }),
  });
});

const actor = process('actor', async (script: readonly Step[], readers: readonly (Reader<number> | null)[], writers: readonly (Writer<number> | null)[]) => {
  for (const s of script) {
    if (s.op === 'read') await (readers[s.ch] as Reader<number>).read();
    else if (s.op === 'write') await (writers[s.ch] as Writer<number>).write(s.ch);
    else if (s.op === 'alt') await alt(s.chs.map((c) => input(readers[c] as Reader<number>)));
    else await turn();
  }
});

async function runNetwork(net: Network): Promise<{ scans: number; deadlocked: number }> {
  const channels: Channel<number>[] = net.kinds.map((k, i) => chan<number>(k === 0 ? { name: `c${i}` } : { name: `c${i}`, buffer: fixed(k) }));
  const mainEnds = net.mainEnds.map((m) => ({ ...m, end: m.side === 'reader' ? channels[m.ch]!.reader() : channels[m.ch]!.writer() }));
  const runtime = currentRuntime();
  const detector = runtime.deadlocks;
  const scan = detector.scan.bind(detector);
  let scans = 0;
  let deadlocked = 0;
  detector.scan = () => {
    const expected = fullScan(runtime.live);
    const before = new Map([...runtime.live].map((p) => [p, p.blockedOn]));
    scan();
    const failed = new Set([...before].filter(([p, op]) => op !== null && p.blockedOn !== op).map(([p]) => p));
    expect([...failed].map((p) => p.name).sort()).toEqual([...expected].map((p) => p.name).sort());
    expect(failed).toEqual(expected);
    scans++;
    deadlocked += expected.size;
  };
  const running = par(
    ...net.scripts.map((script) => {
      const uses = (side: 'read' | 'write', c: number): boolean => script.some((s) => (s.op === 'alt' ? side === 'read' && s.chs.includes(c) : s.op !== 'pause' && s.op === side && s.ch === c));
      const readers = channels.map((c, i) => (uses('read', i) ? c.reader() : null));
      const writers = channels.map((c, i) => (uses('write', i) ? c.writer() : null));
      return actor(script, readers, writers);
    }),
  ).catch(() => {});
  for (let t = 0; t <= 5; t++) {
    for (const m of mainEnds) if (m.turns === t) m.end.retire();
    await turn();
  }
  await running;
  return { scans, deadlocked };
}

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe('incremental deadlock detection against a full scan', () => {
  it('fails exactly the greatest deadlocked set at every scan, and every network ends', async () => {
    let deadlocks = 0;
    await fc.assert(
      fc.asyncProperty(networkArb, async (net) => {
        restore?.();
        restore = useScheduler(breathingScheduler());
        deadlocks += (await runNetwork(net)).deadlocked;
      }),
      { seed, numRuns: 400 },
    );
    expect(deadlocks).toBeGreaterThan(0);
  }, 60_000);
});
