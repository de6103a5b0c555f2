/**
 * An alt whose channel guards live in different places (this thread, and channels homed on
 * simulated hosts) is refused before anything is offered — whatever the order of its guards,
 * whichever of them is ready, fair or priority: it rejects with the same TypeError, and every
 * channel keeps what it had (no value taken, no offer left). An alt whose channel guards share
 * one place is not refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alt, input, output, priAlt, skip, timeout, type Guard } from '../../src/core/alt.js';
import { chan, type Channel } from '../../src/core/chan.js';
import { seededParams } from '../../src/testing/params.js';
import { simChannels, type SimChannels } from '../../src/testing/sim/channels.js';
import { pollRead } from '../../src/testing/conformance/support.js';

type Place = 'here' | 'a' | 'b';

interface GuardSpec {
  readonly place: Place;
  readonly kind: 'input' | 'output' | 'skip' | 'timeout';
  /** A value is waiting in the channel's buffer (an input guard is ready). */
  readonly ready: boolean;
  readonly when: boolean;
}

const guardArb: fc.Arbitrary<GuardSpec> = fc.record({
  place: fc.constantFrom<Place>('here', 'a', 'b'),
  kind: fc.constantFrom('input' as const, 'output' as const, 'skip' as const, 'timeout' as const),
  ready: fc.boolean(),
  when: fc.boolean(),
});

describe('alt over channels in different places', () => {
  it('is refused deterministically, before anything is offered; one place is never refused', async () => {
    const sims: Record<'a' | 'b', SimChannels> = { a: simChannels({ seed: 11 }), b: simChannels({ seed: 12 }) };
    const make = (place: Place, n: number): Channel<number> => (place === 'here' ? chan<number>({ buffer: 1, name: `here-${n}` }) : sims[place].chan<number>({ buffer: 1, name: `${place}-${n}` }));
    await fc.assert(
      fc.asyncProperty(fc.array(guardArb, { minLength: 1, maxLength: 5 }), fc.boolean(), async (specs, priority) => {
        const channels = specs.map((s, n) => make(s.place, n));
        const ends = channels.map((c) => ({ r: c.reader(), w: c.writer() }));
        for (const [n, s] of specs.entries()) if (s.ready) await (ends[n] as { w: { write(v: number): Promise<void> } }).w.write(n);
        await Promise.all([sims.a.settle(), sims.b.settle()]);
        const guards: Guard[] = specs.map((s, n) => {
          const e = ends[n] as (typeof ends)[number];
          if (s.kind === 'input') return input(e.r, { when: s.when });
          if (s.kind === 'output') return output(e.w, 100 + n, { when: s.when });
          return s.kind === 'skip' ? skip({ when: s.when }) : timeout(0, { when: s.when });
        });
        // A last skip() makes every alt that is not refused commit at once.
        guards.push(skip());
        const places = new Set(specs.filter((s) => s.when && (s.kind === 'input' || s.kind === 'output')).map((s) => s.place));
        const run = priority ? priAlt(guards) : alt(guards);
        if (places.size <= 1) {
          await expect(run).resolves.toMatchObject({ index: expect.any(Number) });
          return;
        }
        const error = await run.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as TypeError).message).toMatch(/live in different places/);
        await Promise.all([sims.a.settle(), sims.b.settle()]);
        for (const [n, s] of specs.entries()) {
          const e = ends[n] as (typeof ends)[number];
          expect(await pollRead(e.r), `channel ${n} kept what it had`).toEqual(s.ready ? { ok: true, value: n } : { ok: false, reason: 'empty' });
        }
      }),
      seededParams('alt over channels in different places', { numRuns: 80 }),
    );
  });
});
