/**
 * Worker events and rows on the thread runtime (the remote runtime reports them for any host):
 * each worker thread joins, then leaves when the run ends, and the snapshot lists each.
 */
import { describe, expect, it } from 'vitest';
import { network, process, start, type CspflowEvent, type Writer } from '../../src/index.js';
import { threads } from '../../src/threads/index.js';
import { drop } from './threads-processes.js';

const MODULE = new URL('./threads-processes.ts', import.meta.url).href;

const count = process('count-to', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i);
});

describe('worker events on threads', () => {
  it('each worker thread joins, then leaves when the run ends; the snapshot has a row per worker', async () => {
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 8 });
      n.spawn(count(100, xs.writer()), { place: 'main' });
      n.spawn(drop(xs.reader()), { replicas: 2 });
    });
    const handle = start(net, { runtime: threads({ size: 2, modules: [MODULE] }), observe: true });
    const events: CspflowEvent[] = [];
    for await (const e of handle.events()) events.push(e);
    await handle.done;
    const workers = events.filter((e) => e.type === 'worker:join' || e.type === 'worker:leave');
    const joined = workers.filter((e) => e.type === 'worker:join').map((e) => e.worker).sort();
    expect(joined).toHaveLength(2);
    expect(new Set(joined).size).toBe(2);
    for (const id of joined) expect(id).toMatch(/^worker \d+$/);
    expect(workers.filter((e) => e.type === 'worker:leave').map((e) => e.worker).sort()).toEqual(joined);
    expect(workers.filter((e) => e.type === 'worker:leave').every((e) => !('error' in e))).toBe(true);
    const types = events.map((e) => e.type);
    expect(types.lastIndexOf('worker:join')).toBeLessThan(types.indexOf('worker:leave'));
    const rows = handle.snapshot().workers.map((w) => [w.id, w.processes]);
    expect(rows[0]).toEqual(['main', 0]);
    expect(rows.slice(1).sort()).toEqual(joined.map((id) => [id, 0]));
  });
});
