/**
 * A station: one thread or process taking part in a remote run. It homes channels (any peer may
 * use them through proxies), knows the processes and codecs it may run and decode (registry.ts),
 * rebuilds errors (wire-errors.ts), and connects to peers over wires (connection.ts). The runtime
 * side of a run is a station; so is every worker.
 */
import { cloneCodec } from '../codec/clone.js';
import type { Codec } from '../codec/codec.js';
import type { Channel, ChannelOptions } from '../core/chan.js';
import { End } from '../core/ends.js';
import type { HeldEnd, ProcessRecord } from '../core/process-record.js';
import { currentRuntime } from '../core/runtime.js';
import { Connection, type OpenedPlaceholder, type StationCore } from './connection.js';
import { HomeChannels, type HomeChannel } from './home-channels.js';
import type { Placeholder } from './home.js';
import type { ConnectOptions, Connector, EndRequest, PeerConnection, PeerId } from './peer.js';
import type { ArgWire } from './protocol.js';
import type { ProxyEnd } from './proxy-end.js';
import { newRegistry, type Registry } from './registry.js';
import { reportWaits, type WaitReport } from './wait-report.js';
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
  /** Every connection made, for deadlock detection across stations. */
  readonly connections: Connection[] = [];
  /** Numbers for this station's own process records in wait reports. */
  private readonly recordIds = new WeakMap<ProcessRecord, number>();
  private nextRecordId = 1;
  /** Who waits for a connection to a peer (a spawn whose routed ends live there). */
  private readonly awaited: { readonly peers: ReadonlySet<PeerId>; readonly then: () => void }[] = [];
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
    const connection = new Connection(this, wire, options);
    this.connections.push(connection);
    for (const w of [...this.awaited]) {
      if (![...w.peers].every((p) => this.connectionTo(p) !== undefined)) continue;
      this.awaited.splice(this.awaited.indexOf(w), 1);
      w.then();
    }
    return connection;
  }

  // ---- direct routes between peers (record 0014) --------------------------------------------

  private connectionTo(peer: PeerId): Connection | undefined {
    return this.connections.find((c) => c.id === peer);
  }

  openPlaceholder(request: EndRequest): OpenedPlaceholder | undefined {
    for (const c of this.connections) {
      const made = c.openPlaceholder(request);
      if (made !== undefined) return made;
    }
    return undefined;
  }

  placeholderAt(holder: PeerId, id: number): Placeholder | undefined {
    return this.connectionTo(holder)?.placeholder(id);
  }

  adoptRouted(holder: PeerId, arg: Extract<ArgWire, { kind: 'routed' }>): ProxyEnd<unknown> {
    const codec = this.registry.codecs.get(arg.codec);
    if (codec === undefined) throw new Error(`channel "${arg.name}" uses codec "${arg.codec}", which is not registered in ${this.id}`);
    const route = this.connectionTo(arg.via);
    if (route === undefined) throw new Error(`channel "${arg.name}" lives in ${arg.via}, which ${this.id} has no route to`);
    return route.adopt(holder, arg, codec);
  }

  whenConnected(peers: ReadonlySet<PeerId>, then: () => void): void {
    if ([...peers].every((p) => this.connectionTo(p) !== undefined)) then();
    else this.awaited.push({ peers, then });
  }

  reportWaits(): WaitReport {
    return this.waits().report;
  }

  abortDeadlocked(aliases: readonly string[], error: Error): void {
    const { ops } = this.waits();
    for (const alias of aliases) {
      const op = ops.get(alias);
      if (op !== undefined && !op.escapable) op.abortWith(error);
    }
  }

  private waits(): ReturnType<typeof reportWaits> {
    return reportWaits({
      station: this.id,
      links: this.connections.map((c) => c.counts),
      live: currentRuntime().live,
      aliasesOf: (record) => this.aliasesOf(record),
    });
  }

  /**
   * How wait reports name `record`: a stand-in here by its link and pid; a process of this
   * station (one holding an end of a channel living here, or a proxy of one of its links) by a
   * number here and its pid on each link; anything else is not this station's (null).
   */
  private ownsAny(ends: Iterable<HeldEnd>): boolean {
    for (const e of ends) if (this.owns(e)) return true;
    return false;
  }

  private aliasesOf(record: ProcessRecord): string[] | null {
    for (const c of this.connections) {
      const pid = c.standInPid(record);
      if (pid !== null) return [`${c.id}>${this.id}#${pid}`];
    }
    if (!this.ownsAny(record.ends)) return null;
    let n = this.recordIds.get(record);
    if (n === undefined) {
      n = this.nextRecordId++;
      this.recordIds.set(record, n);
    }
    const aliases = [`${this.id}!${n}`];
    for (const c of this.connections) {
      const pid = c.knownPid(record);
      if (pid !== undefined) aliases.push(`${this.id}>${c.id}#${pid}`);
    }
    return aliases;
  }

  private owns(end: HeldEnd): boolean {
    if (end instanceof End) return this.channels.of(end.core) !== undefined;
    return this.connections.some((c) => c.ownsProxy(end));
  }
}
