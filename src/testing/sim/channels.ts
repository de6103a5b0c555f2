/**
 * Channels homed on one simulated host and used from another through proxies: the simulated
 * network's analogue of startRemoteHome, for the conformance suite and for tests of a transport's
 * semantics under replayable delivery orders.
 */
import type { Codec } from '../../codec/codec.js';
import type { Channel } from '../../core/chan.js';
import type { PeerConnection } from '../../remote/peer.js';
import { newRegistry } from '../../remote/registry.js';
import { Station } from '../../remote/station.js';
import { seededChoices, type ChoiceSource } from '../choices.js';
import type { RemoteChannelOptions } from '../remote-home.js';
import { simConnect } from './hosts.js';
import { SimNetwork, type SimNetworkOptions } from './network.js';

export interface SimChannels {
  readonly network: SimNetwork;
  /** A channel living on the home host; its ends here are proxies. Throws RangeError as chan() does. */
  chan<T>(options?: RemoteChannelOptions): Channel<T>;
  /** Runs deliveries until nothing is in flight. */
  settle(): Promise<void>;
  /** The home host's station (its channels, for checking invariants). */
  readonly home: Station;
  /** How this side reaches the home host. */
  readonly peer: PeerConnection;
}

/** Two simulated hosts, `home` and `client`, on a new network whose choices come from `choices` (or `seed`). */
export function simChannels(options: { readonly seed?: number; readonly choices?: ChoiceSource } & Omit<SimNetworkOptions, 'choices'> = {}): SimChannels {
  const choices = options.choices ?? seededChoices(options.seed ?? (Math.random() * 0x7fffffff) | 0);
  const network = new SimNetwork({ ...options, choices });
  const codecs = newRegistry().codecs;
  const home = new Station({ id: 'home' });
  const client = new Station({ id: 'client' });
  const [peer] = simConnect(network, client, home);
  return {
    network,
    home,
    peer,
    chan<T>(channelOptions: RemoteChannelOptions = {}): Channel<T> {
      const { codec: name = 'msgpack', ...rest } = channelOptions;
      const codec = codecs.get(name);
      if (codec === undefined) throw new RangeError(`simChannels().chan: codec must be "msgpack", "clone" or "json", got ${String(name)}`);
      return peer.channel({ ...rest, codec: codec as Codec<T> });
    },
    settle: () => network.settle(),
  };
}

export interface SimHomes {
  readonly network: SimNetwork;
  /** A channel living on home `home` (0-based); its ends here are proxies. */
  chan<T>(home: number, options?: RemoteChannelOptions): Channel<T>;
  /** Runs deliveries until nothing is in flight. */
  settle(): Promise<void>;
  /** The homes' stations. */
  readonly homes: readonly Station[];
  /** Every fault a station met while serving (a protocol error, a codec fault), in order. */
  readonly faults: readonly Error[];
  /** How this side reaches each home (`lose` one to see what a lost home does). */
  readonly peers: readonly PeerConnection[];
}

/**
 * `count` simulated homes (`home-1` …) and one `client` host (this thread's code) linked to each,
 * on one network: for alts whose guards live at several homes under one replayable delivery order.
 */
export function simHomes(options: { readonly count: number; readonly seed?: number; readonly choices?: ChoiceSource } & Omit<SimNetworkOptions, 'choices'>): SimHomes {
  const choices = options.choices ?? seededChoices(options.seed ?? (Math.random() * 0x7fffffff) | 0);
  const network = new SimNetwork({ ...options, choices });
  const codecs = newRegistry().codecs;
  const client = new Station({ id: 'client' });
  const faults: Error[] = [];
  client.onFault = (e) => faults.push(e);
  const homes: Station[] = [];
  const peers: PeerConnection[] = [];
  for (let i = 0; i < options.count; i++) {
    const home = new Station({ id: `home-${i + 1}` });
    home.onFault = (e) => faults.push(e);
    homes.push(home);
    peers.push(simConnect(network, client, home)[0]);
  }
  return {
    network,
    homes,
    faults,
    peers,
    chan<T>(home: number, channelOptions: RemoteChannelOptions = {}): Channel<T> {
      const peer = peers[home];
      if (peer === undefined) throw new RangeError(`simHomes().chan: home must be an integer in [0, ${options.count}), got ${home}`);
      const { codec: name = 'msgpack', ...rest } = channelOptions;
      const codec = codecs.get(name);
      if (codec === undefined) throw new RangeError(`simHomes().chan: codec must be "msgpack", "clone" or "json", got ${String(name)}`);
      return peer.channel({ ...rest, codec: codec as Codec<T> });
    },
    settle: () => network.settle(),
  };
}
