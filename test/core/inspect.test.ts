/**
 * util.inspect (and so console.log) of channels, ends and processes shows their state in words,
 * not internal fields (issue 8, "No silent exits").
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chan, dropping, par, process, sliding, type Reader, type Writer } from '../../src/index.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('util.inspect in words', () => {
  it('a channel: kind, buffered values, waiting operations, state and ends', async () => {
    const xs = chan<number>({ name: 'xs', buffer: 4 });
    const w = xs.writer();
    const r = xs.reader();
    await w.write(1);
    await w.write(2);
    expect(inspect(xs)).toBe('Channel<"xs" fixed(4): 2 buffered, open (ends: 1 reader, 1 writer)>');
    await r.read();
    await r.read();
    const pending = r.read();
    expect(inspect(xs)).toBe('Channel<"xs" fixed(4): 0 buffered, 1 reader waiting, open (ends: 1 reader, 1 writer)>');
    w.retire();
    await expect(pending).rejects.toThrow(/end of stream/);
    expect(inspect(xs)).toBe('Channel<"xs" fixed(4): 0 buffered, writers retired (end of stream) (ends: 1 reader, 0 writers)>');
  });

  it('rendezvous, dropping and sliding channels; a poisoned one names its poisoner', async () => {
    const rv = chan<number>({ name: 'rv' });
    const w = rv.writer();
    rv.reader();
    void w.write(1).catch(() => {});
    expect(inspect(rv)).toBe('Channel<"rv" rendezvous: 1 writer waiting, open (ends: 1 reader, 1 writer)>');
    expect(inspect(chan({ name: 'd', buffer: dropping(2) }))).toMatch(/^Channel<"d" dropping\(2\): 0 buffered, open/);
    expect(inspect(chan({ name: 's', buffer: sliding(3) }))).toMatch(/^Channel<"s" sliding\(3\): 0 buffered, open/);

    const p = chan<number>({ name: 'p' });
    const pw = p.writer();
    const poisoner = process('poisoner', async (out: Writer<number>) => out.poison('stop'));
    await par(poisoner(pw));
    expect(inspect(p)).toBe('Channel<"p" rendezvous: poisoned by "poisoner">');
    expect(inspect(pw)).toBe('Writer<"p" poisoned>');
  });

  it('an end: its state, who holds it, and its waiting operations', async () => {
    const xs = chan<number>({ name: 'xs' });
    const w = xs.writer();
    const r = xs.reader();
    expect(inspect(r)).toBe('Reader<"xs" open, held by the main program>');
    let seen: string | null = null;
    const square = process('square', async (input: Reader<number>) => {
      seen = inspect(input);
      await input.read();
    });
    const running = par(square(r));
    await flush();
    expect(seen).toBe('Reader<"xs" open, held by "square">');
    expect(inspect(r)).toBe('Reader<"xs" open, held by "square", 1 read waiting>');
    await w.write(1);
    await running;
    expect(inspect(r)).toBe('Reader<"xs" retired>');
  });

  it('a process: not started, blocked on an operation, ended, failed; a factory by its name', async () => {
    const xs = chan<number>({ name: 'xs' });
    const w = xs.writer();
    const r = xs.reader();
    const sink = process('sink', async (input: Reader<number>) => {
      await input.read();
    });
    const failing = process('failing', async () => {
      throw new RangeError('bad');
    });
    expect(inspect(sink)).toBe('ProcessFactory<"sink">');
    const p = sink(r);
    expect(inspect(p)).toBe('Process<"sink" not started>');
    const running = par(p);
    await flush();
    expect(inspect(p)).toBe('Process<"sink" blocked on read of "xs">');
    await w.write(7);
    await running;
    expect(inspect(p)).toBe('Process<"sink" ended>');
    const f = failing();
    await par(f).catch(() => {});
    expect(inspect(f)).toBe('Process<"failing" failed: RangeError: bad>');
  });

  it('nested in other values (console.log of an array or object) the words are used too', () => {
    const xs = chan<number>({ name: 'xs' });
    expect(inspect({ reader: xs.reader() })).toBe('{ reader: Reader<"xs" open, held by the main program> }');
  });
});
