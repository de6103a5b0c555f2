/**
 * Snapshots: channel counters (written = read + buffered + dropped), waiting operations, process
 * states and items, stages, and what the thread runtime lets main know.
 */
import { describe, expect, it } from 'vitest';
import { dropping, network, process, sliding, start, type Reader, type Writer } from '../../src/index.js';
import { threads } from '../../src/threads/index.js';
import { numbers, square } from '../fixtures/pipeline.js';
import { drop } from './threads-processes.js';

const settle = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const writeAll = process('write-all', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i);
});

/** A promise the test settles, so a process waits on something that is no channel (no deadlock). */
function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Once `go` settles, reads `n` values; once `release` settles, reads to the end. */
const slowReader = process('slow-reader', async (input: Reader<number>, n: number, go: Promise<void>, release: Promise<void>) => {
  await go;
  for (let i = 0; i < n; i++) await input.read();
  await release;
  for await (const _ of input);
});

describe('channel counters', () => {
  it.each([
    ['dropping', dropping(3), { written: 10, read: 2, dropped: 7, depth: 1, state: 'retired' }],
    ['sliding', sliding(3), { written: 10, read: 2, dropped: 7, depth: 1, state: 'retired' }],
    ['fixed', 3, { written: 5, read: 2, dropped: 0, depth: 3, state: 'open', blockedWriters: 1 }],
  ] as const)('%s(3): 10 writes, then 2 reads — written = read + depth + dropped', async (_kind, buffer, want) => {
    const go = deferred();
    const release = deferred();
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer });
      n.spawn(writeAll(10, xs.writer()));
      n.spawn(slowReader(xs.reader(), 2, go.promise, release.promise));
    });
    const handle = start(net, { observe: true });
    await settle();
    go.resolve();
    await settle();
    const xs = handle.snapshot().channels.find((c) => c.name === 'xs');
    expect(xs).toMatchObject({ ...want, capacity: 3, home: 'main' });
    release.resolve();
    await handle.done;
  });

  it('values a poisoned channel discards count as dropped', async () => {
    const poisoner = process('poisoner', async (out: Writer<number>) => {
      await out.write(1);
      await out.write(2);
      out.poison('stop');
    });
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 4 });
      n.spawn(poisoner(xs.writer()));
    });
    const handle = start(net, { observe: true });
    await handle.done;
    expect(handle.snapshot().channels[0]).toMatchObject({ state: 'poisoned', written: 2, read: 0, dropped: 2, depth: 0 });
  });
});

describe('processes, stages and waiting operations', () => {
  it('a blocked process says on what; a process awaiting something else is running; waiting operations are counted', async () => {
    const release = deferred();
    const middle = process('middle', async (input: Reader<number>, _out: Writer<number>, release: Promise<void>) => {
      await release;
      await input.read();
    });
    const last = process('last', async (input: Reader<number>) => {
      for await (const _ of input);
    });
    const net = network((n) => {
      const xs = n.channel<number>('xs');
      const gate = n.channel<number>('gate');
      n.spawn(writeAll(1, xs.writer()));
      n.spawn(middle(xs.reader(), gate.writer(), release.promise));
      n.spawn(last(gate.reader()));
    });
    const handle = start(net, { observe: true });
    await settle();
    const snap = handle.snapshot();
    expect(snap.processes.map((p) => [p.name, p.state, p.on])).toEqual([
      ['write-all', 'blocked', { operation: 'write', channels: ['xs'] }],
      ['middle', 'running', undefined],
      ['last', 'blocked', { operation: 'read', channels: ['gate'] }],
    ]);
    expect(snap.channels.map((c) => [c.name, c.blockedReaders, c.blockedWriters])).toEqual([
      ['xs', 0, 1],
      ['gate', 1, 0],
    ]);
    expect(snap.state).toBe('running');
    release.resolve();
    await handle.done;
    expect(handle.snapshot().processes.map((p) => p.state)).toEqual(['done', 'done', 'done']);
  });

  it('items: per process where it alone holds a side, per stage for replicas; ended processes keep their state', async () => {
    const twice = process('twice', async (input: Reader<number>, out: Writer<number>) => {
      for await (const x of input) await out.write(2 * x);
    });
    const drain = process('drain', async (input: Reader<number>) => {
      for await (const _ of input);
    });
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 2 });
      const ys = n.channel<number>('ys', { buffer: 2 });
      n.spawn(writeAll(30, xs.writer()));
      n.spawn(twice(xs.reader(), ys.writer()), { replicas: 3 });
      n.spawn(drain(ys.reader()));
    });
    const handle = start(net, { observe: true });
    await handle.done;
    const snap = handle.snapshot();
    expect(snap.state).toBe('done');
    expect(snap.processes.map((p) => [p.name, p.state, p.items])).toEqual([
      ['write-all', 'done', 30],
      ['twice', 'done', null],
      ['twice', 'done', null],
      ['twice', 'done', null],
      ['drain', 'done', 30],
    ]);
    expect(snap.stages).toEqual([
      { name: 'write-all', processes: 1, items: 30, states: { done: 1 } },
      { name: 'twice', processes: 3, items: 30, states: { done: 3 } },
      { name: 'drain', processes: 1, items: 30, states: { done: 1 } },
    ]);
    expect(snap.workers).toEqual([{ id: 'main', utilisation: expect.any(Number), processes: 0 }]);
  });
});

describe('on the thread runtime, what main knows', () => {
  it('channels on main are counted; worker processes appear as placement worker; a channel living in a worker is listed with unknown counts', async () => {
    const collect = process('collect', async (input: Reader<number>, into: number[]) => {
      for await (const x of input) into.push(x);
    });
    const out: number[] = [];
    const net = network((n) => {
      // Written in one worker, read in another: placed with its reader by default; kept on main to be counted.
      const xs = n.channel<number>('xs', { buffer: 4, home: 'main' });
      const ys = n.channel<number>('ys', { buffer: 4 });
      const zs = n.channel<number>('zs', { home: 'reader' });
      n.spawn(numbers(50, xs.writer()));
      n.spawn(square(xs.reader(), ys.writer()));
      n.spawn(collect(ys.reader(), out), { place: 'main' });
      n.spawn(numbers(3, zs.writer()), { place: 'main' });
      n.spawn(drop(zs.reader()));
    });
    const modules = [new URL('../fixtures/pipeline.ts', import.meta.url).href, new URL('./threads-processes.ts', import.meta.url).href];
    const handle = start(net, { observe: true, runtime: threads({ size: 2, modules }) });
    await handle.done;
    expect(out).toHaveLength(50);
    const snap = handle.snapshot();
    expect(snap.runtime).toBe('threads(2)');
    expect(snap.channels.map((c) => [c.name, c.home, c.written])).toEqual([
      ['xs', 'main', 50],
      ['ys', 'main', 50],
      ['zs', 'worker', null],
    ]);
    const byName = Object.fromEntries(snap.processes.map((p) => [p.name, p]));
    expect(byName['collect']).toMatchObject({ placement: 'main', state: 'done', items: 50 });
    expect(byName['square']).toMatchObject({ placement: 'worker', state: 'ended' });
    expect(snap.stages.find((s) => s.name === 'square')?.items).toBe(50);
  });
});
