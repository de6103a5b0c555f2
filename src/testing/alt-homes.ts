/**
 * Cases for alts whose guards live in several places (semantics ALT8), run the same way on every
 * transport that can home channels in more than one place: the simulated network (simHomes) and
 * threads (two worker homes and this thread). A world has three places: `here` (core channels of
 * this thread) and homes 0 and 1. Each case checks that exactly one guard commits and that the
 * guards not chosen keep what they had (no value taken, no offer left).
 */
import { alt, chan, input, output, PoisonError, priAlt, RetiredError, skip, timeout, type Channel, type ChannelOptions } from '../index.js';
import { assert, drainNow, pollWrite, track, until } from './conformance/support.js';
import type { ConformanceTransport } from './conformance/types.js';

export type HomePlace = 'here' | 0 | 1;

export interface AltWorld {
  /** A channel living at `place`. */
  chan<T>(place: HomePlace, options?: ChannelOptions): Channel<T>;
  /** Lets everything sent so far land. */
  settle(): Promise<void>;
}

export interface AltHomesCase {
  readonly name: string;
  run(world: AltWorld): Promise<void>;
}

const asTransport = (w: AltWorld): ConformanceTransport => ({ settle: () => w.settle() }) as ConformanceTransport;

const make = <T>(w: AltWorld, place: HomePlace, name: string, buffer = 0): Channel<T> => w.chan<T>(place, buffer === 0 ? { name } : { name, buffer });

/** The places of the guards, as three or two places. */
const LAYOUTS: readonly (readonly HomePlace[])[] = [
  ['here', 0, 1],
  [0, 1, 0],
  [1, 'here', 'here'],
];

export const altHomesCases: readonly AltHomesCase[] = LAYOUTS.flatMap((at) => {
  const where = at.map(String).join(',');
  return [
    {
      name: `ALT1 input: the one ready guard commits, the others keep nothing of it [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `in${i}`, 1));
        const rs = cs.map((c) => c.reader());
        await cs[1]?.writer().write(11);
        await w.settle();
        const r = await alt(rs.map((x) => input(x)));
        assert.deepEqual(r, { index: 1, value: 11 });
        await w.settle();
        for (const [i, x] of rs.entries()) assert.deepEqual(await drainNow(x), [], `channel ${i} is empty`);
      },
    },
    {
      name: `ALT1 input: none ready, the first to become ready commits [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `wait${i}`));
        const rs = cs.map((c) => c.reader());
        const ws = cs.map((c) => c.writer());
        const t = track('alt over three places', alt(rs.map((x) => input(x))));
        await w.settle();
        assert.equal(t.outcome.state, 'pending');
        const write = track('write(22)', (ws[2] as (typeof ws)[number]).write(22));
        await until(asTransport(w), () => t.outcome.state !== 'pending', 'the alt to commit');
        assert.deepEqual(t.value(), { index: 2, value: 22 });
        await until(asTransport(w), () => write.outcome.state !== 'pending', 'the write to resolve');
        // No offer is left: a rendezvous write elsewhere finds no reader.
        for (const i of [0, 1]) assert.deepEqual(await pollWrite(ws[i] as (typeof ws)[number], 0), { ok: false, reason: 'full' }, `no offer left on channel ${i}`);
      },
    },
    {
      name: `ALT1 output: a waiting reader takes the output guard's value, nothing is read elsewhere [${where}]`,
      async run(w: AltWorld) {
        const out = make<number>(w, at[0] as HomePlace, 'out');
        const other = make<number>(w, at[1] as HomePlace, 'other', 1);
        const third = make<number>(w, at[2] as HomePlace, 'third', 1);
        await other.writer().write(5);
        const reader = out.reader();
        const read = track('read', reader.read());
        await w.settle();
        const r = await priAlt([output(out.writer(), 33), input(third.reader()), input(other.reader(), { when: false })]);
        assert.deepEqual(r, { index: 0, value: undefined });
        await until(asTransport(w), () => read.outcome.state !== 'pending', 'the reader to get the value');
        assert.equal(read.value(), 33);
        assert.deepEqual(await drainNow(other.reader()), [5], 'the disabled guard kept its value');
      },
    },
    {
      name: `ALT1 output on credit: a writer that wrote ahead offers through an alt, then writes ahead again, in order [${where}]`,
      async run(w: AltWorld) {
        const c = make<number>(w, at[0] as HomePlace, 'credit', 8);
        const other = make<number>(w, at[1] as HomePlace, 'other');
        const writer = c.writer();
        await writer.write(1);
        await writer.write(2);
        await w.settle();
        assert.deepEqual(await alt([output(writer, 3), input(other.reader())]), { index: 0, value: undefined });
        await writer.write(4);
        await writer.write(5);
        await w.settle();
        assert.deepEqual(await drainNow(c.reader()), [1, 2, 3, 4, 5]);
      },
    },
    {
      name: `ALT4 timeout: nothing ready at any place, the timeout commits and no offer is left [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `t${i}`));
        const rs = cs.map((c) => c.reader());
        const r = await alt([...rs.map((x) => input(x)), timeout(5)]);
        assert.deepEqual(r, { index: 3, value: undefined });
        await w.settle();
        for (const [i, c] of cs.entries()) assert.deepEqual(await pollWrite(c.writer(), 0), { ok: false, reason: 'full' }, `no offer left on channel ${i}`);
      },
    },
    {
      name: `ALT4 skip: priAlt takes a ready guard before skip, and skip when none is ready [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `s${i}`, 1));
        const rs = cs.map((c) => c.reader());
        assert.deepEqual(await priAlt([...rs.map((x) => input(x)), skip()]), { index: 3, value: undefined });
        await cs[2]?.writer().write(7);
        await w.settle();
        assert.deepEqual(await priAlt([...rs.map((x) => input(x)), skip()]), { index: 2, value: 7 });
      },
    },
    {
      name: `ALT3 when: a disabled ready guard is inert; priority goes to the first enabled ready one [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `w${i}`, 1));
        const rs = cs.map((c) => c.reader());
        for (const [i, c] of cs.entries()) await c.writer().write(i);
        await w.settle();
        const r = await priAlt([input(rs[0] as (typeof rs)[number], { when: false }), input(rs[1] as (typeof rs)[number]), input(rs[2] as (typeof rs)[number])]);
        assert.deepEqual(r, { index: 1, value: 1 });
        assert.deepEqual(await drainNow(rs[0] as (typeof rs)[number]), [0]);
        assert.deepEqual(await drainNow(rs[2] as (typeof rs)[number]), [2]);
      },
    },
    {
      name: `ALT5 poison: poisoning one guard's channel makes the alt reject naming that guard; the others keep theirs [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `p${i}`));
        const rs = cs.map((c) => c.reader());
        const t = track('alt', alt(rs.map((x) => input(x))));
        await w.settle();
        cs[1]?.writer().poison('stop');
        await until(asTransport(w), () => t.outcome.state !== 'pending', 'the alt to reject');
        const error = t.error();
        assert.ok(error instanceof PoisonError, `PoisonError, got ${String(error)}`);
        assert.equal(error.guardIndex, 1);
        assert.equal(error.reason, 'stop');
        const write = track('write to channel 0', (cs[0] as (typeof cs)[number]).writer().write(1));
        assert.equal(await (rs[0] as (typeof rs)[number]).read(), 1, 'channel 0 still serves its readers');
        await until(asTransport(w), () => write.outcome.state !== 'pending', 'the write to resolve');
      },
    },
    {
      name: `ALT5 retire: the writers of one guard's channel retiring makes the alt reject with RetiredError naming it [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `r${i}`));
        const rs = cs.map((c) => c.reader());
        const ws = cs.map((c) => c.writer());
        const t = track('alt', alt(rs.map((x) => input(x))));
        await w.settle();
        ws[2]?.retire();
        await until(asTransport(w), () => t.outcome.state !== 'pending', 'the alt to reject');
        const error = t.error();
        assert.ok(error instanceof RetiredError, `RetiredError, got ${String(error)}`);
        assert.equal(error.guardIndex, 2);
        assert.equal(error.why, 'writers-retired');
      },
    },
    {
      name: `ALT6 two alts meet across places: each commits once, and the value moves once [${where}]`,
      async run(w: AltWorld) {
        const c = make<string>(w, at[0] as HomePlace, 'c');
        const d = make<string>(w, at[1] as HomePlace, 'd');
        const a = alt([input(c.reader()), output(d.writer(), 'from a')]);
        const b = alt([input(d.reader()), output(c.writer(), 'from b')]);
        const [ra, rb] = await Promise.all([a, b]);
        if (ra.index === 0) {
          assert.deepEqual(ra, { index: 0, value: 'from b' });
          assert.deepEqual(rb, { index: 1, value: undefined });
        } else {
          assert.deepEqual(ra, { index: 1, value: undefined });
          assert.deepEqual(rb, { index: 0, value: 'from a' });
        }
      },
    },
    {
      name: `ALT6 an alt never meets itself: its input and output on one channel wait for others [${where}]`,
      async run(w: AltWorld) {
        const c = make<number>(w, at[0] as HomePlace, 'self');
        const d = make<number>(w, at[1] as HomePlace, 'else');
        const t = track('alt', alt([input(c.reader()), output(c.writer(), 1), input(d.reader())]));
        await w.settle();
        assert.equal(t.outcome.state, 'pending', 'the alt did not meet itself');
        const read = track('read', c.reader().read());
        await until(asTransport(w), () => t.outcome.state !== 'pending' && read.outcome.state !== 'pending', 'a reader to take the offer');
        assert.deepEqual(t.value(), { index: 1, value: undefined });
        assert.equal(read.value(), 1);
      },
    },
    {
      name: `ALT7 abort: aborting an alt across places rejects with the reason and leaves no offer [${where}]`,
      async run(w: AltWorld) {
        const cs = at.map((p, i) => make<number>(w, p, `a${i}`));
        const controller = new AbortController();
        const t = track('alt', alt(cs.map((c) => input(c.reader())), { signal: controller.signal }));
        await w.settle();
        const reason = new Error('enough');
        controller.abort(reason);
        await until(asTransport(w), () => t.outcome.state !== 'pending', 'the alt to reject');
        assert.equal(t.error(), reason);
        await w.settle();
        for (const [i, c] of cs.entries()) assert.deepEqual(await pollWrite(c.writer(), 0), { ok: false, reason: 'full' }, `no offer left on channel ${i}`);
      },
    },
  ];
});

/** A world whose `here` channels are core channels of this thread and whose homes are given. */
export function altWorld(homes: readonly [<T>(options: ChannelOptions) => Channel<T>, <T>(options: ChannelOptions) => Channel<T>], settle: () => Promise<void>): AltWorld {
  return {
    chan: <T>(place: HomePlace, options: ChannelOptions = {}): Channel<T> => (place === 'here' ? chan<T>(options) : homes[place]<T>(options)),
    settle,
  };
}
