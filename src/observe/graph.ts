/**
 * A network as a graph (plain JSON): its processes as nodes, labelled with placement and
 * replicas, and its channels as edges from each writing process to each reading one, labelled
 * with name, buffer kind and capacity. A channel one of whose sides no process of the network
 * holds (the program outside writes or reads it) gets an edge to or from `outside`.
 *
 * toMermaid and toDot draw this graph; given a snapshot, they add each channel's depth and each
 * stage's state (the live variant).
 */
import { EndRef, type Network } from '../runtime/network.js';
import { declaredKind } from './describe.js';
import type { ChannelKind } from './events.js';

export interface GraphProcess {
  /** "p0", "p1", … in declaration order. */
  readonly id: string;
  readonly name: string;
  /** As declared: main, worker, or default (worker on the threads runtime, this thread on local). */
  readonly placement: 'main' | 'worker' | 'default';
  readonly replicas: number;
}

export interface GraphChannel {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly capacity: number;
  /**
   * Where it lives on a remote runtime, as declared: `main`, with its `reader`, or `default` —
   * chosen when the network is placed: with its readers when they all run in one worker (and its
   * writers there or on main), else main.
   */
  readonly home: 'main' | 'reader' | 'default';
  /** Ids of the processes writing it; `outside` when none does. */
  readonly writers: readonly string[];
  readonly readers: readonly string[];
}

export interface NetworkGraph {
  readonly processes: readonly GraphProcess[];
  readonly channels: readonly GraphChannel[];
}

/** The id standing for the program outside the network. */
export const OUTSIDE = 'outside';

export function networkGraph(net: Network): NetworkGraph {
  if (typeof net !== 'object' || net === null || !Array.isArray(net.channels) || !Array.isArray(net.processes)) {
    throw new TypeError(`networkGraph(net): net must be a network made by network(), got ${String(net)}`);
  }
  const processes: GraphProcess[] = net.processes.map((p, i) => ({ id: `p${i}`, name: p.instance.name, placement: p.place ?? 'default', replicas: p.replicas }));
  const sides = new Map<string, { writers: string[]; readers: string[] }>(net.channels.map((c) => [c.name, { writers: [], readers: [] }]));
  net.processes.forEach((p, i) => {
    for (const arg of p.instance.args.flat()) {
      if (!(arg instanceof EndRef)) continue;
      const s = sides.get(arg.channel.name);
      const list = s === undefined ? undefined : arg.side === 'writer' ? s.writers : s.readers;
      if (list !== undefined && !list.includes(`p${i}`)) list.push(`p${i}`);
    }
  });
  const channels: GraphChannel[] = net.channels.map((c) => {
    const s = sides.get(c.name) as { writers: string[]; readers: string[] };
    return {
      name: c.name,
      ...declaredKind(c.options.buffer),
      home: c.options.home ?? 'default',
      writers: s.writers.length === 0 ? [OUTSIDE] : s.writers,
      readers: s.readers.length === 0 ? [OUTSIDE] : s.readers,
    };
  });
  return { processes, channels };
}
