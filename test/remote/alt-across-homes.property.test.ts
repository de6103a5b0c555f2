/**
 * Alt across homes (semantics ALT8) under the simulated network, with per-message delays and a
 * printed seed: an alt whose guards live here and at up to three homes commits exactly one guard,
 * takes nothing from and leaves nothing on the others (every channel keeps what it had, the
 * winner's value moved once), obeys priority among the guards ready when it was called, and,
 * when none is, waits and commits the one that becomes ready. Two alts over the same two channels
 * in opposite order, with competing plain readers and writers, never lose or duplicate a value,
 * commit exactly one guard each, and never deadlock while a match exists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alt, input, output, priAlt, skip, timeout, type Guard } from '../../src/core/alt.js';
import { chan, type Channel } from '../../src/core/chan.js';
import { seededParams } from '../../src/testing/params.js';
import { simHomes } from '../../src/testing/sim/channels.js';
import { drainNow } from '../../src/testing/conformance/support.js';
import type { Reader, Writer } from '../../src/core/ends.js';
import { RetiredError } from '../../src/core/errors.js';

type Place = 'here' | 0 | 1 | 2;

interface GuardSpec {
  readonly place: Place;
  readonly kind: 'input' | 'output' | 'skip' | 'timeout';
  /** Input: a value waits in the buffer. Output: the buffer has room (else it holds a value). */
  readonly ready: boolean;
  readonly when: boolean;
}

const guardArb: fc.Arbitrary<GuardSpec> = fc.record({
  place: fc.constantFrom<Place>('here', 0, 1, 2),
  kind: fc.constantFrom('input' as const, 'input' as const, 'output' as const, 'output' as const, 'skip' as const, 'timeout' as const),
  ready: fc.boolean(),
  when: fc.boolean(),
});

const isChannel = (s: GuardSpec): boolean => s.kind === 'input' || s.kind === 'output';
const isReady = (s: GuardSpec): boolean => s.when && (s.kind === 'skip' || (isChannel(s) && s.ready));

describe('alt across homes (simulated network)', () => {
  it('commits exactly one guard, leaves the others untouched, keeps priority, waits when none is ready', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(guardArb, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(3), async (specs, priority, seed, maxDelay) => {
        fc.pre(specs.some((s) => s.when));
        const sim = simHomes({ count: 3, seed, maxDelay });
        const channels: Channel<number>[] = specs.map((s, n) => (s.place === 'here' ? chan<number>({ buffer: 1, name: `here-${n}` }) : sim.chan<number>(s.place, { buffer: 1, name: `h${s.place}-${n}` })));
        const ends = channels.map((c) => ({ r: c.reader(), w: c.writer() }));
        // What each channel holds before the alt.
        const before: number[][] = specs.map((s, n) => (s.kind === 'input' ? (s.ready ? [n] : []) : s.kind === 'output' && !s.ready ? [1000 + n] : []));
        for (const [n, held] of before.entries()) for (const v of held) await (ends[n] as (typeof ends)[number]).w.write(v);
        await sim.settle();
        const guards: Guard[] = specs.map((s, n) => {
          const e = ends[n] as (typeof ends)[number];
          if (s.kind === 'input') return input(e.r, { when: s.when });
          if (s.kind === 'output') return output(e.w, 100 + n, { when: s.when });
          return s.kind === 'skip' ? skip({ when: s.when }) : timeout(0, { when: s.when });
        });
        let outcome: { index: number; value: unknown } | null = null;
        const run = (priority ? priAlt(guards) : alt(guards)).then((o) => (outcome = o));
        await sim.settle();
        const ready = specs.flatMap((s, n) => (isReady(s) ? [n] : []));
        const timers = specs.flatMap((s, n) => (s.when && s.kind === 'timeout' ? [n] : []));
        let late: number | null = null;
        if (ready.length === 0 && timers.length === 0) {
          expect(outcome, 'nothing is ready: the alt waits').toBeNull();
          // Make the first enabled channel guard ready.
          late = specs.findIndex((s) => s.when && isChannel(s));
          const e = ends[late] as (typeof ends)[number];
          if ((specs[late] as GuardSpec).kind === 'input') {
            before[late] = [500 + late];
            await e.w.write(500 + late);
          } else {
            expect(await e.r.read()).toBe(1000 + late);
            before[late] = [];
          }
        }
        await run;
        const won = outcome as unknown as { index: number; value: unknown };
        if (late !== null) expect(won.index).toBe(late);
        else if (ready.length === 0) expect(timers).toContain(won.index);
        else if (priority) expect(won.index, 'priAlt: the first ready guard').toBe(ready[0]);
        else expect(ready).toContain(won.index);
        const w = specs[won.index] as GuardSpec;
        expect(won.value).toBe(w.kind === 'input' ? (before[won.index] as number[])[0] : undefined);
        await sim.settle();
        for (const [n, s] of specs.entries()) {
          let expected = before[n] as number[];
          if (n === won.index && s.kind === 'input') expected = expected.slice(1);
          if (n === won.index && s.kind === 'output') expected = [...expected, 100 + n];
          expect(await drainNow((ends[n] as (typeof ends)[number]).r), `channel ${n} (${String(s.place)}, ${s.kind})`).toEqual(expected);
        }
      }),
      seededParams('alt across homes', { numRuns: 120 }),
    );
  });
});

describe('two alts in opposite order across homes', () => {
  it('never lose or duplicate a value, commit one guard each, never deadlock', async () => {
    const where = fc.constantFrom<Place>('here', 0, 1);
    await fc.assert(
      fc.asyncProperty(where, where, fc.constantFrom(0, 1, 2), fc.boolean(), fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(3), async (cAt, dAt, buffer, priority, seed, maxDelay) => {
        const sim = simHomes({ count: 2, seed, maxDelay });
        const make = (at: Place, name: string): Channel<string> => (at === 'here' ? chan<string>({ buffer, name }) : sim.chan<string>(at, { buffer, name }));
        const c = make(cAt, 'c');
        const d = make(dAt, 'd');
        const rounds = 4;
        const written = { c: [] as string[], d: [] as string[] };
        const read = { c: [] as string[], d: [] as string[] };
        const choose = (guards: Guard[]): Promise<{ index: number; value: unknown }> => (priority ? priAlt(guards) : alt(guards));
        // A: input(c) or output(d); B: input(d) or output(c) — the same two channels, opposite order.
        const alternate = async (me: string, from: Reader<string>, to: Writer<string>, inName: 'c' | 'd', outName: 'c' | 'd'): Promise<void> => {
          let open = true;
          for (let i = 0; i < rounds; i++) {
            const value = `${me}${i}`;
            // Once the input has ended (its writers retired: ALT5), only the output is offered.
            const r = await choose([input(from, { when: open }), output(to, value)]).catch((e: unknown) => {
              if (!(e instanceof RetiredError) || e.guardIndex !== 0) throw e;
              open = false;
              return null;
            });
            if (r === null) {
              i--;
              continue;
            }
            expect([0, 1]).toContain(r.index);
            if (r.index === 0) read[inName].push(r.value as string);
            else written[outName].push(value);
          }
          from.retire();
          to.retire();
        };
        const produce = async (w: Writer<string>, name: 'c' | 'd'): Promise<void> => {
          for (let i = 0; i < 3; i++) {
            await w.write(`w${name}${i}`);
            written[name].push(`w${name}${i}`);
          }
          w.retire();
        };
        const consume = async (r: Reader<string>, name: 'c' | 'd'): Promise<void> => {
          for await (const v of r) read[name].push(v);
        };
        const all = Promise.all([
          alternate('a', c.reader(), d.writer(), 'c', 'd'),
          alternate('b', d.reader(), c.writer(), 'd', 'c'),
          produce(c.writer(), 'c'),
          produce(d.writer(), 'd'),
          consume(c.reader(), 'c'),
          consume(d.reader(), 'd'),
        ]);
        let finished = false;
        void all.then(() => (finished = true));
        for (let i = 0; i < 50 && !finished; i++) await sim.settle();
        expect(finished, 'every process ended (no deadlock while a match exists)').toBe(true);
        await all;
        for (const name of ['c', 'd'] as const) {
          expect([...read[name]].sort(), `channel ${name}: every value read once`).toEqual([...written[name]].sort());
          expect(new Set(read[name]).size).toBe(read[name].length);
        }
      }),
      seededParams('two alts in opposite order across homes', { numRuns: 80 }),
    );
  });
});
