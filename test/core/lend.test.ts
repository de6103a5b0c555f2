/**
 * The core's side of read-ahead (ChannelCore.lend / consumeLeased / endLease, used by the remote
 * layer's read-ahead.ts): lent values stay at the front of the buffer, counted against its
 * capacity; no other take passes them — a take asks for them back (onRecall) and waits, writes
 * queue behind them — and when the lease ends the waiting readers take them first, in order.
 */
import { describe, expect, it } from 'vitest';
import { channelCore, channelOver } from '../../src/core/chan.js';
import { RetiredError } from '../../src/core/errors.js';

/** Lets every resumption already due run (the default scheduler resumes through microtasks). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function lentChannel(capacity: number, values: number[]) {
  const core = channelCore<number>({ buffer: capacity });
  const ch = channelOver(core);
  const w = ch.writer();
  for (const v of values) expect(w.tryWrite(v)).toEqual({ ok: true });
  let recalls = 0;
  core.onRecall = () => recalls++;
  return { core, ch, w, recalls: () => recalls };
}

describe('values lent by a channel', () => {
  it('stay buffered and counted: a write into the rest of the room goes in, one more waits', async () => {
    const { core, w } = lentChannel(3, [1, 2]);
    expect(core.lend(2)).toEqual([1, 2]);
    expect(w.tryWrite(3)).toEqual({ ok: true });
    expect(w.tryWrite(4)).toEqual({ ok: false, reason: 'full' });
    let done = false;
    const writing = w.write(4).then(() => (done = true));
    core.consumeLeased(1);
    await writing;
    expect(done).toBe(true);
    expect(core.buffer?.size).toBe(3);
    expect(core.leased).toBe(1);
  });

  it('are not passed by another take: it recalls them, waits, and takes the first when they come back', async () => {
    const { core, ch, w, recalls } = lentChannel(4, [1, 2, 3]);
    core.lend(2);
    const r = ch.reader();
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' });
    expect(recalls()).toBe(1);
    const got: number[] = [];
    const reading = r.read().then((v) => got.push(v));
    expect(w.tryWrite(4)).toEqual({ ok: true });
    await flush();
    expect(got, 'a write is not handed to a reader waiting behind lent values').toEqual([]);
    core.consumeLeased(1);
    core.endLease();
    await reading;
    expect(got).toEqual([2]);
    expect(await r.readMany(10)).toEqual([3, 4]);
  });

  it('keep the stream open when every writer retires: a waiting reader gets them, then end of stream', async () => {
    const { core, ch, w } = lentChannel(4, [1, 2]);
    core.lend(2);
    const r = ch.reader();
    const first = r.read();
    w.retire();
    await flush();
    core.endLease();
    expect(await first).toBe(1);
    expect(await r.read()).toBe(2);
    await expect(r.read()).rejects.toBeInstanceOf(RetiredError);
  });

  it('all consumed: the waiting reader finds the end of stream', async () => {
    const { core, ch, w } = lentChannel(2, [1, 2]);
    core.lend(2);
    const r = ch.reader();
    const next = r.read();
    w.retire();
    core.consumeLeased(2);
    await expect(next).rejects.toMatchObject({ why: 'writers-retired' });
  });
});
