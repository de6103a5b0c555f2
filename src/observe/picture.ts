/**
 * Pictures of a network: Mermaid (renders on GitHub and in many editors) and Graphviz DOT. Nodes
 * are processes (name, placement, replicas), edges channels (name, buffer kind and capacity).
 * Given a snapshot, the live variant adds each channel's depth and waiting operations and each
 * process's state, and colours the processes by state.
 */
import type { Network } from '../runtime/network.js';
import { kindText } from './describe.js';
import { networkGraph, OUTSIDE, type GraphChannel, type GraphProcess, type NetworkGraph } from './graph.js';
import type { ChannelSnapshot, ProcessState, Snapshot, StageSnapshot } from './snapshot.js';

export interface PictureOptions {
  /** Draw the live variant: depths and states as they stand in this snapshot. */
  readonly snapshot?: Snapshot;
  /** Mermaid only: flowchart direction. Default LR (left to right). */
  readonly direction?: 'LR' | 'TB';
}

/** Lines of a node's label. */
function processLines(p: GraphProcess, stage: StageSnapshot | undefined): string[] {
  const lines = [p.replicas > 1 ? `${p.name} ×${p.replicas}` : p.name, p.placement];
  if (stage !== undefined) {
    lines.push(Object.entries(stage.states).map(([state, n]) => (stage.processes > 1 ? `${n} ${state}` : state)).join(', '));
    if (stage.items !== null) lines.push(`${stage.items} items`);
  }
  return lines;
}

/** Lines of an edge's label. */
function channelLines(c: GraphChannel, live: ChannelSnapshot | undefined): string[] {
  const lines = [c.name, kindText(c.kind, c.capacity)];
  if (live !== undefined && live.depth !== null) {
    const waiting = [live.blockedWriters ? `${live.blockedWriters} waiting to write` : '', live.blockedReaders ? `${live.blockedReaders} waiting to read` : ''].filter(Boolean);
    lines.push([c.kind === 'rendezvous' ? '' : `depth ${live.depth}/${c.capacity}`, ...waiting].filter(Boolean).join(', ') || live.state);
  }
  return lines;
}

/** The state a node is coloured by: the most telling state among its processes. */
function dominant(stage: StageSnapshot | undefined): ProcessState | undefined {
  if (stage === undefined) return undefined;
  const order: ProcessState[] = ['failed', 'deadlocked', 'blocked', 'running', 'poisoned', 'retired', 'done', 'ended'];
  return order.find((s) => (stage.states[s] ?? 0) > 0);
}

interface Drawn {
  readonly graph: NetworkGraph;
  readonly stages: ReadonlyMap<string, StageSnapshot>;
  readonly channels: ReadonlyMap<string, ChannelSnapshot>;
  readonly outside: boolean;
}

function draw(net: Network, options: PictureOptions): Drawn {
  if (typeof options !== 'object' || options === null) throw new TypeError(`toMermaid/toDot(net, options): options must be an object, got ${String(options)}`);
  if (options.direction !== undefined && options.direction !== 'LR' && options.direction !== 'TB') {
    throw new RangeError(`toMermaid(net, { direction }): direction must be 'LR' or 'TB', got ${String(options.direction)}`);
  }
  const snap = options.snapshot;
  if (snap !== undefined && (typeof snap !== 'object' || snap === null || !Array.isArray(snap.channels) || !Array.isArray(snap.stages))) {
    throw new TypeError('toMermaid/toDot(net, { snapshot }): snapshot must be what handle.snapshot() returns');
  }
  const graph = networkGraph(net);
  return {
    graph,
    stages: new Map((snap?.stages ?? []).map((s) => [s.name, s])),
    channels: new Map((snap?.channels ?? []).map((c) => [c.name, c])),
    outside: graph.channels.some((c) => c.writers.includes(OUTSIDE) || c.readers.includes(OUTSIDE)),
  };
}

const COLOURS: Partial<Record<ProcessState, string>> = {
  running: '#d7f5dd',
  blocked: '#fff3c4',
  deadlocked: '#ffc9c9',
  failed: '#ffc9c9',
  poisoned: '#ffd8a8',
  done: '#e9ecef',
  retired: '#e9ecef',
  ended: '#e9ecef',
};

/** A Mermaid flowchart of `net` (put it in a ```mermaid block). */
export function toMermaid(net: Network, options: PictureOptions = {}): string {
  const { graph, stages, channels, outside } = draw(net, options);
  const esc = (text: string): string => text.replace(/"/g, '#quot;');
  const out = [`flowchart ${options.direction ?? 'LR'}`];
  for (const p of graph.processes) out.push(`  ${p.id}["${esc(processLines(p, stages.get(p.name)).join('<br/>'))}"]`);
  if (outside) out.push(`  ${OUTSIDE}(("outside"))`);
  for (const c of graph.channels) {
    const label = esc(channelLines(c, channels.get(c.name)).join('<br/>'));
    for (const w of c.writers) for (const r of c.readers) out.push(`  ${w} -->|"${label}"| ${r}`);
  }
  if (options.snapshot !== undefined) {
    const used = new Set<ProcessState>();
    for (const p of graph.processes) {
      const state = dominant(stages.get(p.name));
      if (state === undefined) continue;
      used.add(state);
      out.push(`  class ${p.id} ${state}`);
    }
    for (const state of used) out.push(`  classDef ${state} fill:${COLOURS[state] ?? '#ffffff'}`);
  }
  return out.join('\n');
}

/** A Graphviz DOT digraph of `net` (`dot -Tsvg`). */
export function toDot(net: Network, options: PictureOptions = {}): string {
  const { graph, stages, channels, outside } = draw(net, options);
  const esc = (text: string): string => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const label = (lines: string[]): string => `"${lines.map(esc).join('\\n')}"`;
  const out = ['digraph network {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];'];
  for (const p of graph.processes) {
    const state = dominant(stages.get(p.name));
    const fill = state === undefined ? '' : `, fillcolor="${COLOURS[state] ?? '#ffffff'}"`;
    out.push(`  ${p.id} [label=${label(processLines(p, stages.get(p.name)))}${fill}];`);
  }
  if (outside) out.push(`  ${OUTSIDE} [label="outside", shape=ellipse, style=dashed];`);
  for (const c of graph.channels) {
    const text = label(channelLines(c, channels.get(c.name)));
    for (const w of c.writers) for (const r of c.readers) out.push(`  ${w} -> ${r} [label=${text}];`);
  }
  out.push('}');
  return out.join('\n');
}
