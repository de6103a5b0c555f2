/**
 * Read-ahead of a proxy reader's `for await` (docs/semantics.md RA1–RA5), seen from the channel's
 * home: a loop over a fixed(n) channel is lent the front of the buffer (so it asks once per batch,
 * not per value), the lent values stay in the buffer until handed out, and are given back — to
 * whichever reader reads next — when the loop is left, the end retires, or another reader comes.
 * A rendezvous channel, or one with several readers, lends nothing. The conformance suite checks
 * the same behaviour as every runtime must show it; these cases check that read-ahead happened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/chan.js';
import type { ChannelCore } from '../../src/core/channel-core.js';
import { RetiredError } from '../../src/core/errors.js';
import type { HomeChannel } from '../../src/remote/home-channels.js';
import { simChannels, type SimChannels } from '../../src/testing/sim/channels.js';

let sim: SimChannels;

afterEach(async () => {
  await sim.settle();
});

/** A channel living on the simulated home host, used through proxies; `core()`: its core at the home. */
function setup(buffer: number | undefined, seed = 1): { ch: Channel<number>; core: () => ChannelCore<unknown> } {
  sim = simChannels({ seed });
  const made: HomeChannel[] = [];
  const channels = sim.home.channels;
  const make = channels.make.bind(channels);
  channels.make = (options, codec) => {
    const ch = make(options, codec);
    made.push(ch);
    return ch;
  };
  const ch = sim.chan<number>(buffer === undefined ? {} : { buffer });
  const home = (): ChannelCore<unknown> => {
    const core = made[0]?.core;
    if (core === undefined) throw new Error('the channel has not reached its home yet');
    return core;
  };
  // The core is made when the channel's `make-channel` message is delivered.
  return { ch, core: home };
}

async function fillWith(ch: Channel<number>, n: number): Promise<void> {
  const w = ch.writer();
  await w.writeMany(Array.from({ length: n }, (_, i) => i));
  await sim.settle();
  w.retire();
}

describe('read-ahead of a proxy reader', () => {
  it('a for await over fixed(n) is lent the front of the buffer, which stays there until handed out', async () => {
    const { ch, core } = setup(64);
    await fillWith(ch, 64);
    const it = ch.reader()[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: 0 });
    await sim.settle();
    expect(core().leased, 'values lent after the first value').toBe(63);
    expect(core().buffer?.size, 'the lent values are still buffered').toBe(63);
    for (let i = 1; i <= 10; i++) expect(await it.next()).toEqual({ done: false, value: i });
    await sim.settle();
    expect(core().leased, 'handed-out values are reported').toBe(53);
    expect(core().buffer?.size).toBe(53);
    await it.return?.();
    await sim.settle();
    expect(core().leased, 'leaving the loop gives the rest back').toBe(0);
    expect(core().buffer?.size, 'and it stays buffered').toBe(53);
  });

  it('values given back by a loop left early are read by the next reader, in order, each once', async () => {
    const { ch, core } = setup(16, 2);
    await fillWith(ch, 16);
    const r1 = ch.reader();
    const got1: number[] = [];
    for await (const v of r1) {
      got1.push(v);
      if (v === 4) break;
    }
    const r2 = ch.reader();
    r1.retire();
    const got2: number[] = [];
    for await (const v of r2) got2.push(v);
    expect(got1).toEqual([0, 1, 2, 3, 4]);
    expect(got2).toEqual(Array.from({ length: 11 }, (_, i) => i + 5));
    expect(core().leased).toBe(0);
  });

  it('a reader made while a loop holds values read ahead recalls them: it reads the next value, not a later one', async () => {
    const { ch, core } = setup(16, 3);
    await fillWith(ch, 16);
    const it = ch.reader()[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await sim.settle();
    expect(core().leased).toBe(15);
    const r2 = ch.reader();
    expect(await r2.read()).toBe(1);
    await sim.settle();
    expect(core().leased, 'nothing is lent while two readers read').toBe(0);
    expect((await it.next()).value).toBe(2);
    expect(await r2.read()).toBe(3);
  });

  it('retiring the reader with values read ahead gives them back to the other readers', async () => {
    const { ch, core } = setup(8, 4);
    await fillWith(ch, 8);
    const r1 = ch.reader();
    const it = r1[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await sim.settle();
    expect(core().leased).toBe(7);
    const r2 = ch.reader();
    r1.retire();
    await sim.settle();
    expect(core().leased).toBe(0);
    await expect(it.next()).rejects.toBeInstanceOf(RetiredError);
    expect(await r2.readMany(100)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a rendezvous channel lends nothing: a write resolves only once the loop takes its value', async () => {
    const { ch, core } = setup(undefined, 5);
    const w = ch.writer();
    const done: number[] = [];
    const writing = (async () => {
      for (let i = 0; i < 4; i++) {
        await w.write(i);
        done.push(i);
      }
    })();
    const it = ch.reader()[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    for (let i = 0; i < 4; i++) await sim.settle();
    expect(done).toEqual([0]);
    expect(core().leased).toBe(0);
    expect((await it.next()).value).toBe(1);
    for (let i = 0; i < 4; i++) await sim.settle();
    expect(done).toEqual([0, 1]);
    await it.return?.();
    w.poison('done');
    await writing.catch(() => {});
  });

  it('a channel with two readers lends nothing', async () => {
    const { ch, core } = setup(16, 6);
    await fillWith(ch, 16);
    const r1 = ch.reader();
    const r2 = ch.reader();
    const it = r1[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await sim.settle();
    expect(core().leased).toBe(0);
    expect(await r2.read()).toBe(1);
  });
});
