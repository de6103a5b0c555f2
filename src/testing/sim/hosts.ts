/**
 * Simulated hosts on a simulated network (network.ts): stations of the remote layer in this
 * thread, connected by simulated wires, and a Host and a runtime over them — so a whole network
 * runs "across machines" under a replayable delivery order, with the same placement code as the
 * thread runtime.
 */
import type { ProcessFactory } from '../../core/process.js';
import type { Connector, Host, Peer, PeerConnection } from '../../remote/peer.js';
import { newRegistry, register, type Registry } from '../../remote/registry.js';
import { Station } from '../../remote/station.js';
import { remoteRuntime } from '../../runtime/remote.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { SimNetwork } from './network.js';

/** A registry holding `processes` (by their names) and the built-in codecs. */
export function registryOf(processes: readonly ProcessFactory<never[]>[]): Registry {
  const registry = newRegistry();
  register(registry, Object.fromEntries(processes.map((p) => [p.processName, p])), 'the simulated hosts');
  return registry;
}

/**
 * Connects stations `a` and `b` over a new simulated link of `network`: [a's view of b, b's view of a].
 * Both links flush on the network's steps.
 */
export function simConnect(network: SimNetwork, a: Connector, b: Connector): [PeerConnection, PeerConnection] {
  const [wa, wb] = network.pair(a.id, b.id);
  return [
    a.connect(wa, { peer: b.id, description: `host "${b.id}"`, defer: network.defer }),
    b.connect(wb, { peer: a.id, description: `host "${a.id}"`, defer: network.defer }),
  ];
}

/** A Host whose peers are simulated hosts on `network`, each able to run `processes`. */
export function simHost(network: SimNetwork, processes: readonly ProcessFactory<never[]>[]): Host {
  const links: PeerConnection[] = [];
  const stations = new Map<Peer, Station>();
  let hosts = 0;
  return {
    async start(station: Connector, count: number): Promise<readonly Peer[]> {
      const peers: Peer[] = [];
      for (let i = 0; i < count; i++) {
        const host = new Station({ id: `sim-${++hosts}`, registry: registryOf(processes) });
        const [toHost, back] = simConnect(network, station, host);
        links.push(toHost, back);
        peers.push(toHost);
        stations.set(toHost, host);
      }
      return peers;
    },
    route(a: Peer, b: Peer): void {
      links.push(...simConnect(network, stations.get(a) as Station, stations.get(b) as Station));
    },
    async close(): Promise<void> {
      await network.settle();
      for (const link of links) link.close();
    },
    // The hosts' side of every link (to the runner, and routes) counts all the run's traffic.
    whenQuiet: (listener) => network.onQuiet(() => listener([...stations.values()].reduce((n, s) => n + s.connections.reduce((m, c) => m + c.counts.sent + c.counts.received, 0), 0))),
  };
}

export interface SimulatedOptions {
  /** The network the hosts live on (its choices decide the delivery order). */
  readonly network: SimNetwork;
  /** The processes the simulated hosts may run (as a worker's modules would export them). */
  readonly processes: readonly ProcessFactory<never[]>[];
  /** Simulated hosts in the pool. Default 2. */
  readonly size?: number;
}

/** A runtime whose workers are simulated hosts: `run(net, { runtime: simulated({ network, processes }) })`. */
export function simulated(options: SimulatedOptions): Runtime {
  const size = options.size ?? 2;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`simulated({ size }): size must be an integer >= 1, got ${size}`);
  return remoteRuntime({ name: `simulated(${size})`, size, unit: 'host', host: () => simHost(options.network, options.processes) });
}
