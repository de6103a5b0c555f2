/**
 * Streams across simulated hosts, under random delivery orders: a channel (rendezvous or fixed(n))
 * lives on one host; writers on other hosts write to it (one value at a time, in batches, or trying
 * first), readers on yet others read from it (read, readMany, or trying first). Whatever order the
 * network delivers in: every value is read exactly once, each writer's values reach each reader in
 * the order written, and the promises made to writers on credit never exceed the buffer
 * (buffered + promised <= capacity after every delivery), nor does a writer ever write on credit
 * it was not granted. The run prints its seed; a failure is
 * replayed with CSPFLOW_SEED, and the counterexample names the network's seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { msgpackCodec } from '../../src/codec/msgpack.js';
import { settleAll, process } from '../../src/core/process.js';
import type { Reader, Writer } from '../../src/core/ends.js';
import { RetiredError } from '../../src/core/errors.js';
import { EndRequest, type Peer } from '../../src/remote/peer.js';
import { Station } from '../../src/remote/station.js';
import { seededChoices } from '../../src/testing/choices.js';
import { seededParams } from '../../src/testing/params.js';
import { registryOf, simConnect } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';

interface Scenario {
  readonly capacity: number;
  readonly writers: readonly { readonly count: number; readonly mode: 'write' | 'many' | 'try' }[];
  readonly readers: readonly ('read' | 'many' | 'try')[];
  readonly seed: number;
  readonly maxDelay: number;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  capacity: fc.constantFrom(0, 1, 3, 8),
  writers: fc.array(fc.record({ count: fc.integer({ min: 0, max: 25 }), mode: fc.constantFrom('write' as const, 'many' as const, 'try' as const) }), { minLength: 1, maxLength: 3 }),
  readers: fc.array(fc.constantFrom('read' as const, 'many' as const, 'try' as const), { minLength: 1, maxLength: 3 }),
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  maxDelay: fc.integer({ min: 0, max: 3 }),
});

interface Tagged {
  readonly w: number;
  readonly i: number;
}

async function runScenario(s: Scenario): Promise<void> {
  const seen: Tagged[][] = s.readers.map(() => []);
  const violations: string[] = [];
  const writer = process('sim-writer', async (out: Writer<Tagged>, w: number, count: number, mode: string) => {
    if (mode === 'many') {
      for (let i = 0; i < count; i += 4) await out.writeMany(Array.from({ length: Math.min(4, count - i) }, (_, k) => ({ w, i: i + k })));
    } else {
      for (let i = 0; i < count; i++) {
        // A tryWrite that fails leaves nothing behind (C7r): the value is then written normally.
        if (mode !== 'try' || !out.tryWrite({ w, i }).ok) await out.write({ w, i });
      }
    }
  });
  const reader = process('sim-reader', async (inp: Reader<Tagged>, k: number, mode: string) => {
    const into = seen[k] as Tagged[];
    for (;;) {
      try {
        if (mode === 'many') into.push(...(await inp.readMany(3)));
        else {
          const got = mode === 'try' ? inp.tryRead() : { ok: false as const };
          into.push(got.ok ? got.value : await inp.read());
        }
      } catch (error) {
        if (error instanceof RetiredError && error.why === 'writers-retired') return;
        throw error;
      }
    }
  });
  const network = new SimNetwork({
    choices: seededChoices(s.seed),
    maxDelay: s.maxDelay,
    onStep: () => {
      const core = ch.core;
      const size = core.buffer?.size ?? 0;
      if (core.reserved < 0 || size + core.reserved > s.capacity) violations.push(`buffered ${size} + promised ${core.reserved} > capacity ${s.capacity}`);
    },
  });
  const home = new Station({ id: 'home' });
  const faults: Error[] = [];
  home.onFault = (e) => faults.push(e);
  const channel = home.channel<Tagged>({ name: 'stream', buffer: s.capacity }, msgpackCodec());
  const ch = home.homeOf(channel as never) as NonNullable<ReturnType<Station['homeOf']>>;
  const host = (id: string): Peer => {
    const station = new Station({ id, registry: registryOf([writer, reader] as never) });
    return simConnect(network, home, station)[0];
  };
  const runs = [
    ...s.writers.map((w, k) => host(`w${k}`).spawn('sim-writer', [new EndRequest(channel as never, 'writer'), k, w.count, w.mode]).done),
    ...s.readers.map((mode, k) => host(`r${k}`).spawn('sim-reader', [new EndRequest(channel as never, 'reader'), k, mode]).done),
  ];
  await settleAll(runs);
  await network.settle();
  const where = `(network seed ${s.seed}, replay "${network.replay}")`;
  expect(violations, `credit beyond the buffer ${where}`).toEqual([]);
  expect(faults, `no value written on credit the home had not granted ${where}`).toEqual([]);
  const all = seen.flat();
  const written = s.writers.flatMap((w, k) => Array.from({ length: w.count }, (_, i) => ({ w: k, i })));
  const key = (t: Tagged): string => `${t.w}:${t.i}`;
  expect(all.map(key).sort(), `every value read exactly once ${where}`).toEqual(written.map(key).sort());
  for (const got of seen) {
    for (let k = 0; k < s.writers.length; k++) {
      const order = got.filter((t) => t.w === k).map((t) => t.i);
      expect(order, `writer ${k}'s values in the order written ${where}`).toEqual([...order].sort((a, b) => a - b));
    }
  }
}

describe('streams across simulated hosts', () => {
  it('every value exactly once, FIFO per writer, credit never beyond the buffer, under any delivery order', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (s) => runScenario(s)),
      seededParams('streams across simulated hosts', { numRuns: 100 }),
    );
  });
});
