/** Pictures of a network: the JSON graph, Mermaid and DOT, and their live variants. */
import { describe, expect, it } from 'vitest';
import { dropping, network, networkGraph, process, start, toDot, toMermaid, type Reader, type Writer } from '../../src/index.js';

const source = process('source', async (out: Writer<number>) => {
  for (let i = 0; i < 10; i++) await out.write(i);
});
const stage = process('stage', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x);
});
const sink = process('sink', async (input: Reader<number>) => {
  for await (const _ of input);
});

const net = network((n) => {
  const xs = n.channel<number>('xs', { buffer: 8 });
  const ys = n.channel<number>('ys', { buffer: dropping(4), home: 'reader' });
  n.spawn(source(xs.writer()), { place: 'main' });
  n.spawn(stage(xs.reader(), ys.writer()), { replicas: 3, place: 'worker' });
  n.spawn(sink(ys.reader()));
});

describe('networkGraph', () => {
  it('processes as nodes (placement, replicas), channels as edges (kind, capacity, home, writers, readers)', () => {
    expect(networkGraph(net)).toEqual({
      processes: [
        { id: 'p0', name: 'source', placement: 'main', replicas: 1 },
        { id: 'p1', name: 'stage', placement: 'worker', replicas: 3 },
        { id: 'p2', name: 'sink', placement: 'default', replicas: 1 },
      ],
      channels: [
        { name: 'xs', kind: 'fixed', capacity: 8, home: 'default', writers: ['p0'], readers: ['p1'] },
        { name: 'ys', kind: 'dropping', capacity: 4, home: 'reader', writers: ['p1'], readers: ['p2'] },
      ],
    });
  });

  it('a side no process of the network holds is `outside`', () => {
    const open = network((n) => {
      const input = n.channel<number>('input');
      n.channel<number>('unused');
      n.spawn(sink(input.reader()));
    });
    expect(networkGraph(open).channels).toEqual([
      { name: 'input', kind: 'rendezvous', capacity: 0, home: 'default', writers: ['outside'], readers: ['p0'] },
      { name: 'unused', kind: 'rendezvous', capacity: 0, home: 'default', writers: ['outside'], readers: ['outside'] },
    ]);
    expect(toMermaid(open)).toContain('  outside(("outside"))\n  outside -->|"input<br/>rendezvous"| p0');
  });

  it('refuses what is not a network, and bad options', () => {
    expect(() => networkGraph({} as never)).toThrow(/net must be a network made by network\(\)/);
    expect(() => toMermaid(net, { direction: 'RL' as never })).toThrow(/direction must be 'LR' or 'TB', got RL/);
    expect(() => toDot(net, { snapshot: 42 as never })).toThrow(/snapshot must be what handle.snapshot\(\) returns/);
  });
});

describe('toMermaid and toDot', () => {
  it('Mermaid: a flowchart with one node per declared process and one edge per writer-reader pair', () => {
    expect(toMermaid(net)).toBe(
      [
        'flowchart LR',
        '  p0["source<br/>main"]',
        '  p1["stage ×3<br/>worker"]',
        '  p2["sink<br/>default"]',
        '  p0 -->|"xs<br/>fixed(8)"| p1',
        '  p1 -->|"ys<br/>dropping(4)"| p2',
      ].join('\n'),
    );
    expect(toMermaid(net, { direction: 'TB' }).split('\n')[0]).toBe('flowchart TB');
  });

  it('DOT: the same graph for Graphviz, quotes escaped', () => {
    const quoted = network((n) => {
      const c = n.channel<number>('say "hi"');
      n.spawn(source(c.writer()));
      n.spawn(process('a "quoted" sink', async (input: Reader<number>) => {
        for await (const _ of input);
      })(c.reader()));
    });
    expect(toDot(quoted)).toBe(
      [
        'digraph network {',
        '  rankdir=LR;',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];',
        '  p0 [label="source\\ndefault"];',
        '  p1 [label="a \\"quoted\\" sink\\ndefault"];',
        '  p0 -> p1 [label="say \\"hi\\"\\nrendezvous"];',
        '}',
      ].join('\n'),
    );
    expect(toMermaid(quoted)).toContain('p1["a #quot;quoted#quot; sink<br/>default"]');
  });

  it('the live variant adds states, items and depths from a snapshot, and colours nodes by state', async () => {
    const local = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 8 });
      n.spawn(source(xs.writer()));
      n.spawn(sink(xs.reader()));
    });
    const handle = start(local, { observe: true });
    await handle.done;
    const snapshot = handle.snapshot();
    expect(toMermaid(local, { snapshot })).toBe(
      [
        'flowchart LR',
        '  p0["source<br/>default<br/>done<br/>10 items"]',
        '  p1["sink<br/>default<br/>done<br/>10 items"]',
        '  p0 -->|"xs<br/>fixed(8)<br/>depth 0/8"| p1',
        '  class p0 done',
        '  class p1 done',
        '  classDef done fill:#e9ecef',
      ].join('\n'),
    );
    expect(toDot(local, { snapshot })).toContain('p0 [label="source\\ndefault\\ndone\\n10 items", fillcolor="#e9ecef"];');
  });
});
