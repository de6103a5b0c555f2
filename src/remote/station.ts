/**
 * A station: one thread or process taking part in a remote run. It homes channels (any peer may
 * use them through proxies), knows the processes and codecs it may run and decode (registry.ts),
 * rebuilds errors (wire-errors.ts), and connects to peers over wires (connection.ts). The runtime
 * side of a run is a station; so is every worker.
 */
import { cloneCodec } from '../codec/clone.js';
import type { Codec } from '../codec/codec.js';
import type { Channel, ChannelOptions } from '../core/chan.js';
import { Connection, type StationCore } from './connection.js';
import { HomeChannels, type HomeChannel } from './home-channels.js';
import type { ConnectOptions, Connector, PeerConnection, PeerId } from './peer.js';
import { newRegistry, type Registry } from './registry.js';
import { ErrorTable } from './wire-errors.js';
import type { Wire } from './wire.js';

export interface StationOptions {
  /** This station's peer id (`main`, `worker 3`). */
  readonly id: PeerId;
  /** Processes and codecs it may run and decode (default: none, and the built-in codecs). */
  readonly registry?: Registry;
  /** Copies process arguments, poison reasons and error fields across (default: structured clone). */
  readonly values?: Codec<unknown>;
}

function noop(): void {}

export class Station implements StationCore, Connector {
  readonly id: PeerId;
  readonly channels = new HomeChannels();
  readonly registry: Registry;
  readonly errors: ErrorTable;
  readonly values: Codec<unknown>;
  private readonly homed = new WeakMap<Channel<unknown>, HomeChannel>();
  /**
   * Told of every real error found while serving peers: a codec fault (the channel is poisoned
   * with it too) or a protocol error. A runtime fails the run with the first.
   */
  onFault: (error: Error) => void = () => {};

  constructor(options: StationOptions) {
    this.id = options.id;
    this.registry = options.registry ?? newRegistry();
    this.values = options.values ?? cloneCodec();
    this.errors = new ErrorTable(this.values);
  }

  /**
   * A channel living here: processes here get core ends from it, peers get proxies. Throws
   * RangeError as chan() does. `lossRetires`: a lost peer's ends of it retire, not poison.
   */
  channel<T>(options: ChannelOptions, codec: Codec<T>, how: { readonly lossRetires?: boolean } = {}): Channel<T> {
    const ch = this.channels.make(options, codec as Codec<unknown>, how.lossRetires === true);
    this.homed.set(ch.channel, ch);
    return ch.channel as Channel<T>;
  }

  homeOf(channel: Channel<unknown>): HomeChannel | undefined {
    return this.homed.get(channel);
  }

  fault(error: Error): void {
    this.onFault(error);
  }

  /**
   * Turns each argument of a process a peer spawns here, once decoded, into what the process is
   * given: a transport may make ends of its own from a marked argument (NATS: durable ends).
   * Default: the argument itself. Throwing fails the spawn.
   */
  adopt: (arg: unknown) => unknown = (arg) => arg;

  /** Decides whether a process a peer spawns here may start (see StationCore.admit); default: always. */
  admission: (name: string) => () => void = () => noop;

  admit(name: string): () => void {
    return this.admission(name);
  }

  connect(wire: Wire, options: ConnectOptions): PeerConnection {
    return new Connection(this, wire, options);
  }
}
