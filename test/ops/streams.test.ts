/**
 * Node stream bridges: values both ways, back-pressure both ways (a full channel pauses the
 * stream; highWaterMark bounds what is taken), errors mapped to poison and back.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { chan, collect, fromIterable, fromReadable, PoisonError, toReadable } from '../../src/index.js';

const settle = async (turns = 20): Promise<void> => {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('toReadable', () => {
  it('gives the channel’s values, then ends', async () => {
    const got: number[] = [];
    for await (const v of toReadable(fromIterable([1, 2, 3]))) got.push(v as number);
    expect(got).toEqual([1, 2, 3]);
  });

  it('takes from the channel no more than its highWaterMark while nobody reads the stream', async () => {
    const c = chan<number>();
    const w = c.writer();
    let accepted = 0;
    const writing = (async () => {
      for (let i = 0; i < 100; i++) {
        await w.write(i);
        accepted++;
      }
      w.retire();
    })();
    const readable = toReadable(c.reader(), { highWaterMark: 4 });
    readable.pause();
    readable.read(0);
    await settle();
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(4);
    const got: number[] = [];
    for await (const v of readable) got.push(v as number);
    await writing;
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('poison destroys the stream with the PoisonError; destroying the stream retires the reader', async () => {
    const c = chan<number>();
    const reason = new Error('upstream failed');
    c.writer().poison(reason);
    const failed = await streamPipeline(toReadable(c.reader()), new Writable({ objectMode: true, write: (_v, _e, cb) => cb() })).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PoisonError);
    expect((failed as PoisonError).reason).toBe(reason);

    const d = chan<number>();
    const w = d.writer();
    const readable = toReadable(d.reader());
    readable.destroy();
    await expect(w.write(1)).rejects.toMatchObject({ name: 'RetiredError', why: 'readers-retired' });
  });

  it('a stream destroyed with an error poisons the channel with it', async () => {
    const d = chan<number>();
    const w = d.writer();
    const boom = new Error('consumer failed');
    const readable = toReadable(d.reader());
    readable.on('error', () => {});
    readable.destroy(boom);
    await expect(w.write(1)).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
  });
});

describe('fromReadable', () => {
  it('gives the stream’s chunks, then the end of the stream', async () => {
    expect(await collect(fromReadable(Readable.from(['a', 'b', 'c'])))).toEqual(['a', 'b', 'c']);
  });

  it('a full channel pauses the stream: the source is pulled no further than its highWaterMark ahead', async () => {
    let produced = 0;
    const source = new Readable({
      objectMode: true,
      highWaterMark: 3,
      read() {
        this.push(produced < 50 ? produced++ : null);
      },
    });
    const reader = fromReadable<number>(source);
    await settle();
    expect(produced).toBeLessThanOrEqual(3 + 2);
    expect(await collect(reader)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('a stream error poisons the channel with it; the writer form’s promise rejects with it', async () => {
    const boom = new Error('disk on fire');
    const broken = new Readable({
      objectMode: true,
      read() {
        this.destroy(boom);
      },
    });
    const c = chan<number>();
    const done = fromReadable(broken, c.writer());
    await expect(c.reader().read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
    await expect(done).rejects.toBe(boom);
  });

  it('readers leaving destroy the stream; poison destroys it with the PoisonError', async () => {
    const endless = (): Readable =>
      new Readable({
        objectMode: true,
        read() {
          this.push(1);
        },
      });
    const a = endless();
    const ra = fromReadable<number>(a);
    await ra.read();
    ra.retire();
    await new Promise((resolve) => a.once('close', resolve));
    expect(a.destroyed).toBe(true);

    const b = endless();
    b.on('error', () => {});
    const rb = fromReadable<number>(b);
    await rb.read();
    const reason = new Error('downstream gave up');
    rb.poison(reason);
    await new Promise((resolve) => b.once('close', resolve));
    expect(b.errored).toBeInstanceOf(PoisonError);
    expect((b.errored as PoisonError).reason).toBe(reason);
  });

  it('refuses what is not a Readable', () => {
    expect(() => fromReadable({} as never)).toThrow(/readable must be a Node Readable stream/);
    expect(() => toReadable(fromIterable([1]), { highWaterMark: 0 })).toThrow(/highWaterMark must be an integer >= 1/);
  });
});
