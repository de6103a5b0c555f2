/**
 * Messages bounded by bytes (a wire's maxMessageBytes, e.g. a NATS server's max_payload): batches
 * too big for one message are split, and arrive whole and in order; a single value that cannot fit
 * is refused at the write with FrameTooLargeError, nothing sent; a value too big for the link of
 * the reader it would go to poisons its channel with that error instead of vanishing.
 */
import { describe, expect, it } from 'vitest';
import { msgpackCodec } from '../../src/codec/msgpack.js';
import { output, priAlt, skip } from '../../src/core/alt.js';
import { PoisonError } from '../../src/core/errors.js';
import { process } from '../../src/core/process.js';
import type { Reader } from '../../src/core/ends.js';
import { FrameTooLargeError } from '../../src/remote/errors.js';
import { EndRequest } from '../../src/remote/peer.js';
import { Station } from '../../src/remote/station.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simChannels } from '../../src/testing/sim/channels.js';
import { registryOf, simConnect } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';

const LIMIT = 4096;

function small() {
  const sizes: number[] = [];
  const sim = simChannels({
    seed: 7,
    maxMessageBytes: LIMIT,
    fault: (d) => {
      sizes.push(d.bytes.length);
      return 'deliver';
    },
  });
  return { ...sim, sizes };
}

const text = (n: number): string => 'x'.repeat(n);

describe('messages are bounded by bytes, not values', () => {
  it('a writeMany bigger than one message is split, and every value arrives in order; so is a big readMany', async () => {
    const s = small();
    const c = s.chan<string>({ buffer: 1000 });
    const w = c.writer();
    const r = c.reader();
    const values = Array.from({ length: 600 }, (_, i) => `${i}:${text(40)}`);
    await w.writeMany(values);
    const got: string[] = [];
    while (got.length < values.length) got.push(...(await r.readMany(1000)));
    expect(got).toEqual(values);
    await s.settle();
    expect(Math.max(...s.sizes)).toBeLessThanOrEqual(LIMIT);
    expect(s.sizes.length).toBeGreaterThan(10);
  });

  it('values written on credit one at a time leave in batches that fit', async () => {
    const s = small();
    const c = s.chan<string>({ buffer: 400 });
    const w = c.writer();
    const r = c.reader();
    await s.settle();
    const values = Array.from({ length: 300 }, (_, i) => `${i}:${text(60)}`);
    for (const v of values) await w.write(v);
    const got: string[] = [];
    while (got.length < values.length) got.push(...(await r.readMany(1000)));
    expect(got).toEqual(values);
    expect(Math.max(...s.sizes)).toBeLessThanOrEqual(LIMIT);
  });

  it('a single value that cannot fit is refused at the write, by every way of writing, and nothing is sent', async () => {
    const s = small();
    const c = s.chan<string>({ buffer: 4, name: 'big' });
    const w = c.writer();
    const r = c.reader();
    await s.settle();
    const huge = text(LIMIT * 2);
    const refused = (await w.write(huge).catch((e: unknown) => e)) as FrameTooLargeError;
    expect(refused).toBeInstanceOf(FrameTooLargeError);
    expect(refused).toMatchObject({ channel: 'big', limit: LIMIT - 256, code: 'ERR_CSPFLOW_FRAME_TOO_LARGE' });
    expect(refused.bytes).toBeGreaterThan(LIMIT);
    await expect(w.writeMany(['ok', huge])).rejects.toBeInstanceOf(FrameTooLargeError);
    expect(() => w.tryWrite(huge)).toThrow(FrameTooLargeError);
    await expect(priAlt([output(w, huge), skip()])).rejects.toBeInstanceOf(FrameTooLargeError);
    await w.write('after');
    expect(await r.read()).toBe('after');
    await s.settle();
    expect(await priAlt([skip()])).toEqual({ index: 0, value: undefined });
    expect(Math.max(...s.sizes)).toBeLessThanOrEqual(LIMIT);
  });
});

describe('the poison a value too big to deliver causes', () => {
  it('reaches the reader as PoisonError whose reason is FrameTooLargeError, and the station is told', async () => {
    const network = new SimNetwork({ choices: seededChoices(5), maxMessageBytes: LIMIT });
    const home = new Station({ id: 'home' });
    const faults: Error[] = [];
    home.onFault = (e) => faults.push(e);
    const local = home.channel<string>({ name: 'at-home', buffer: 2 }, msgpackCodec<string>());
    const writer = local.writer();
    await writer.write(text(LIMIT * 3));
    const seen: unknown[] = [];
    const reader = process('big-reader', async (r: Reader<string>) => {
      await r.read().catch((e: unknown) => seen.push(e));
    });
    const other = new Station({ id: 'reader', registry: registryOf([reader as never]) });
    const [toReader] = simConnect(network, home, other);
    await toReader.spawn('big-reader', [new EndRequest(local as never, 'reader')]).done;
    expect(seen[0]).toBeInstanceOf(PoisonError);
    expect((seen[0] as PoisonError).reason).toBeInstanceOf(FrameTooLargeError);
    expect(faults[0]).toBeInstanceOf(FrameTooLargeError);
  });
});
