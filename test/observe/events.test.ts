/**
 * The event stream of a run: what an observed run reports and in what order, that each run sees
 * only its own events, that nothing observes (or counts) once nobody watches, and the bridges to
 * diagnostics_channel and watch().
 */
import diagnostics from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import {
  chan,
  DeadlockError,
  network,
  NotObservedError,
  par,
  process,
  run,
  snapshotOf,
  start,
  watch,
  type CspflowEvent,
  type Network,
  type Reader,
  type Writer,
} from '../../src/index.js';
import { currentRuntime } from '../../src/core/runtime.js';
import { EventQueue } from '../../src/observe/event-queue.js';

const numbers = process('numbers', async (n: number, out: Writer<number>) => {
  for (let i = 1; i <= n; i++) await out.write(i);
});
const double = process('double', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(2 * x);
});
const sink = process('sink', async (input: Reader<number>, into: number[]) => {
  for await (const x of input) into.push(x);
});
const relay = process('relay', async (input: Reader<number>, out: Writer<number>) => {
  await out.write(await input.read());
});

function pipeline(n: number, into: number[], buffer = 0): Network {
  return network((net) => {
    const xs = net.channel<number>('xs', { buffer });
    const ys = net.channel<number>('ys');
    net.spawn(numbers(n, xs.writer()));
    net.spawn(double(xs.reader(), ys.writer()));
    net.spawn(sink(ys.reader(), into));
  });
}

async function collect(events: AsyncIterable<CspflowEvent>): Promise<CspflowEvent[]> {
  const all: CspflowEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

describe('an observed run reports its events', () => {
  it('in order: run:start, channels made, processes started, …, processes ended, run:end', async () => {
    const out: number[] = [];
    const handle = start(pipeline(3, out), { observe: true });
    const events = await collect(handle.events({ operations: false }));
    await handle.done;
    expect(out).toEqual([2, 4, 6]);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run:start');
    expect(types.at(-1)).toBe('run:end');
    expect(events.at(-1)).toEqual({ type: 'run:end', ok: true });
    expect(events.filter((e) => e.type === 'channel:create')).toEqual([
      { type: 'channel:create', channel: 'xs', kind: 'rendezvous', capacity: 0 },
      { type: 'channel:create', channel: 'ys', kind: 'rendezvous', capacity: 0 },
    ]);
    const started = events.filter((e) => e.type === 'process:start').map((e) => (e as { process: string }).process);
    expect(started).toEqual(['numbers', 'double', 'sink']);
    const ended = events.filter((e) => e.type === 'process:end');
    expect(ended.map((e) => (e as { how: string }).how)).toEqual(['done', 'done', 'done']);
    expect(types.lastIndexOf('channel:create')).toBeLessThan(types.indexOf('process:start'));
    expect(types).not.toContain('process:block');
    expect(events.filter((e) => e.type === 'channel:retire').map((e) => e)).toContainEqual({ type: 'channel:retire', channel: 'xs', side: 'writer' });
  });

  it('every block is followed by one resume of the same process', async () => {
    const handle = start(pipeline(20, []), { observe: true });
    const events = await collect(handle.events());
    const open = new Map<number, number>();
    let blocks = 0;
    for (const e of events) {
      if (e.type === 'process:block') {
        expect(open.get(e.id) ?? 0).toBe(0);
        open.set(e.id, 1);
        blocks++;
      }
      if (e.type === 'process:resume') {
        expect(open.get(e.id)).toBe(1);
        open.set(e.id, 0);
      }
    }
    expect(blocks).toBeGreaterThan(20);
    expect([...open.values()].every((n) => n === 0)).toBe(true);
  });

  it('a failing process: process:end failed with the error, run:end not ok, poison reported with who poisoned', async () => {
    const boom = process('boom', async (input: Reader<number>) => {
      await input.read();
      throw new RangeError('no thanks');
    });
    const net = network((n) => {
      const xs = n.channel<number>('xs');
      n.spawn(numbers(5, xs.writer()));
      n.spawn(boom(xs.reader()));
    });
    const handle = start(net, { observe: true });
    const events = await collect(handle.events({ operations: false }));
    await expect(handle.done).rejects.toThrow('no thanks');
    expect(events).toContainEqual({ type: 'process:end', process: 'boom', id: expect.any(Number), how: 'failed', error: { name: 'RangeError', message: 'no thanks', process: 'boom' } });
    expect(events).toContainEqual({ type: 'channel:poison', channel: 'xs', by: 'boom', reason: 'RangeError: no thanks' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'process:end', process: 'numbers', how: 'poisoned' }));
    expect(events.at(-1)).toEqual({ type: 'run:end', ok: false, error: { name: 'RangeError', message: 'no thanks', process: 'boom' } });
  });

  it('a deadlock: one deadlock event with the wait-for cycle, and the DeadlockError carries a snapshot of it', async () => {
    const ring = network((n) => {
      const a = n.channel<number>('a');
      const b = n.channel<number>('b');
      n.spawn(relay(a.reader(), b.writer()));
      n.spawn(relay(b.reader(), a.writer()));
    });
    const handle = start(ring, { observe: true });
    const events = await collect(handle.events({ operations: false }));
    const error = await handle.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    const deadlocks = events.filter((e) => e.type === 'deadlock');
    expect(deadlocks).toHaveLength(1);
    const [d] = deadlocks as Extract<CspflowEvent, { type: 'deadlock' }>[];
    expect(d.cycle.map((w) => `${w.process}#${w.id} ${w.operation} ${w.channel} -> #${w.waitsFor.id}`).sort()).toEqual(
      [`relay#${d.blocked[0]?.id} read a -> #${d.blocked[1]?.id}`, `relay#${d.blocked[1]?.id} read b -> #${d.blocked[0]?.id}`].sort(),
    );
    const snap = snapshotOf(error);
    expect(snap?.deadlock?.cycle).toEqual(d.cycle);
    expect(snap?.processes.map((p) => [p.state, p.on?.channels])).toEqual([
      ['deadlocked', ['a']],
      ['deadlocked', ['b']],
    ]);
    expect(handle.snapshot().deadlock).toEqual(snap?.deadlock);
  });

  it('the first events() gets the run from its start even when called late; later calls get what follows', async () => {
    const handle = start(pipeline(3, []), { observe: true });
    await handle.done;
    const first = await collect(handle.events());
    expect(first[0]?.type).toBe('run:start');
    expect(first.at(-1)?.type).toBe('run:end');
    expect(await collect(handle.events())).toEqual([]);
  });

  it('a run not observed refuses events() and snapshot() with NotObservedError', async () => {
    const handle = start(pipeline(2, []));
    expect(() => handle.events()).toThrow(NotObservedError);
    expect(() => handle.snapshot()).toThrow(/start\(net, \{ observe: true \}\)/);
    await handle.done;
  });

  it('start() checks observe and inspect', () => {
    expect(() => start(pipeline(1, []), { observe: 'yes' as unknown as boolean })).toThrow(/observe must be a boolean/);
    expect(() => start(pipeline(1, []), { inspect: { port: 70000 } })).toThrow(/port must be an integer in 0\.\.65535, got 70000/);
    expect(() => start(pipeline(1, []), { inspect: { host: '' } })).toThrow(/host must be a non-empty string/);
    const handle = start(pipeline(1, []), { observe: true });
    expect(() => handle.events({ operations: 'no' as unknown as boolean })).toThrow(/operations must be a boolean, got no/);
  });
});

describe('runs sharing a thread see only their own events', () => {
  it('two pipelines at once: each stream has its own processes and channels only', async () => {
    const a = start(pipeline(5, []), { observe: true });
    const other = network((n) => {
      const zs = n.channel<number>('zs', { buffer: 2 });
      n.spawn(numbers(7, zs.writer()));
      n.spawn(sink(zs.reader(), []));
    });
    const b = start(other, { observe: true });
    const [ea, eb] = await Promise.all([collect(a.events()), collect(b.events())]);
    const names = (es: CspflowEvent[]): string[] => [...new Set(es.flatMap((e) => ('process' in e ? [e.process] : 'channel' in e ? [e.channel] : [])))].sort();
    expect(names(ea)).toEqual(['double', 'numbers', 'sink', 'xs', 'ys']);
    expect(names(eb)).toEqual(['numbers', 'sink', 'zs']);
    expect(b.snapshot().channels.map((c) => [c.name, c.written])).toEqual([['zs', 7]]);
  });

  it('a channel made inside a process of the run, and the processes it spawns, are the run’s', async () => {
    const spawner = process('spawner', async (out: Writer<number>) => {
      const inner = chan<number>({ name: 'inner' });
      await par(numbers(3, inner.writer()), double(inner.reader(), out));
    });
    const net = network((n) => {
      const ys = n.channel<number>('ys');
      n.spawn(spawner(ys.writer()));
      n.spawn(sink(ys.reader(), []));
    });
    const handle = start(net, { observe: true });
    await handle.done;
    const snap = handle.snapshot();
    expect(snap.channels.map((c) => [c.name, c.written])).toEqual([
      ['ys', 3],
      ['inner', 3],
    ]);
    expect(snap.processes.map((p) => p.name).sort()).toEqual(['double', 'numbers', 'sink', 'spawner']);
  });
});

describe('nobody watching costs nothing and leaves nothing behind', () => {
  it('the runtime has no observer before, or after an observed run; channels made unobserved keep no counters', async () => {
    const runtime = currentRuntime();
    expect(runtime.observer).toBeNull();
    await run(pipeline(3, []), { observe: true });
    expect(runtime.observer).toBeNull();
    const c = chan<number>();
    expect((c.reader() as unknown as { core: { stats: unknown } }).core.stats).toBeNull();
  });
});

describe('watch() and diagnostics_channel', () => {
  it('watch() sees every event of the thread until stopped', async () => {
    const seen: CspflowEvent[] = [];
    const stop = watch((e) => seen.push(e), { operations: false });
    await par(numbers(2, chan<number>({ name: 'loose', buffer: 2 }).writer()));
    const c = chan<number>({ name: 'plain', buffer: 1 });
    c.writer().poison('enough');
    stop();
    chan<number>({ name: 'after' });
    expect(seen).toContainEqual({ type: 'channel:create', channel: 'loose', kind: 'fixed', capacity: 2 });
    expect(seen).toContainEqual({ type: 'channel:poison', channel: 'plain', reason: 'enough' });
    expect(seen.some((e) => 'channel' in e && e.channel === 'after')).toBe(false);
    expect(currentRuntime().observer).toBeNull();
  });

  it('a subscriber to cspflow:* channels makes a run observed and receives its events', async () => {
    const got: CspflowEvent[] = [];
    const onStart = (m: unknown): void => void got.push(m as CspflowEvent);
    const onEnd = (m: unknown): void => void got.push(m as CspflowEvent);
    diagnostics.subscribe('cspflow:process:start', onStart);
    diagnostics.subscribe('cspflow:run:end', onEnd);
    try {
      const handle = start(pipeline(2, []));
      await handle.done;
      expect(handle.snapshot().state).toBe('done');
    } finally {
      diagnostics.unsubscribe('cspflow:process:start', onStart);
      diagnostics.unsubscribe('cspflow:run:end', onEnd);
    }
    expect(got.map((e) => e.type)).toEqual(['process:start', 'process:start', 'process:start', 'run:end']);
  });

  it('watch() validates its arguments', () => {
    expect(() => watch(42 as unknown as () => void)).toThrow(/listener must be a function, got number/);
    expect(() => watch(() => {}, { operations: 1 as unknown as boolean })).toThrow(/operations must be a boolean/);
  });
});

describe('EventQueue (what events() returns)', () => {
  it('past its limit lets the oldest go and says how many, where they were', async () => {
    const q = new EventQueue(3);
    for (let i = 1; i <= 5; i++) q.push({ type: 'worker:join', worker: `w${i}` });
    q.close();
    expect(await collect(q)).toEqual([
      { type: 'events:lost', count: 2 },
      { type: 'worker:join', worker: 'w3' },
      { type: 'worker:join', worker: 'w4' },
      { type: 'worker:join', worker: 'w5' },
    ]);
  });

  it('break out of for-await stops it (onStop is called once)', async () => {
    const q = new EventQueue(10);
    let stops = 0;
    q.onStop = () => stops++;
    q.push({ type: 'worker:join', worker: 'a' });
    q.push({ type: 'worker:join', worker: 'b' });
    for await (const _ of q) break;
    q.push({ type: 'worker:join', worker: 'c' });
    expect(await q.next()).toEqual({ done: true, value: undefined });
    expect(stops).toBe(1);
  });
});
