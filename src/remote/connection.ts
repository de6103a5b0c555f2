/**
 * A station's connection to one peer: the link, the home serving the peer's proxies (home.ts),
 * the client serving this side's proxies of the peer's channels (client.ts), and the processes
 * each side spawned at the other. It is the Peer a runtime places processes on.
 *
 * What cannot be served is never thrown out of a handler: a malformed message, or one naming
 * nothing known, is a ProtocolError told to the station, and to the operation or channel it
 * concerns when it names one — an operation fails with it, a channel whose values it carried is
 * poisoned with it.
 *
 * Invariants:
 * - `spawned` holds every process started at the peer by this side that has not ended;
 * - once lost (`death`), every operation and spawn fails with the same error, and nothing more
 *   is sent.
 */
import type { Codec } from '../codec/codec.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { Channel } from '../core/chan.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import type { Ending } from '../core/ends.js';
import { spawn } from '../core/process.js';
import { Client } from './client.js';
import type { RemoteChannelSpec } from './proxy-table.js';
import { ProcessClashError, ProtocolError } from './errors.js';
import type { HomeChannel, HomeChannels } from './home-channels.js';
import { Home, type Placeholder } from './home.js';
import { Link, type LinkHandler } from './link.js';
import type { ConnectOptions, EndRequest, PeerConnection, PeerId, Spawned } from './peer.js';
import { isAnswerKind, isRequestKind, type Answer, type ArgWire, type ProcessMessage, type Request } from './protocol.js';
import type { ChannelState } from './proxy-channel.js';
import type { ProxyEnd } from './proxy-end.js';
import type { Registry } from './registry.js';
import { argsIn, argsOut, routesOf } from './spawn-args.js';
import type { LinkCounts, WaitReport } from './wait-report.js';
import { markError, type ErrorTable } from './wire-errors.js';
import type { Wire } from './wire.js';

/** What a connection needs of its station. */
export interface StationCore {
  readonly id: PeerId;
  readonly channels: HomeChannels;
  readonly registry: Registry;
  readonly errors: ErrorTable;
  /** Copies process arguments, poison reasons and error fields. */
  readonly values: Codec<unknown>;
  /** The home channel behind `channel`, if it lives in this station. */
  homeOf(channel: Channel<unknown>): HomeChannel | undefined;
  fault(error: Error): void;
  /**
   * Called before a process the peer spawned starts here: throws to refuse it (the spawn fails
   * with that error), else returns what to call when it has ended (a worker counting its load).
   */
  admit(name: string): () => void;
  /** What a process the peer spawned here is given for a decoded argument (see Station.adopt). */
  adopt(arg: unknown): unknown;
  /** This station's waits, for deadlock detection across stations (wait-report.ts). */
  reportWaits(): WaitReport;
  /** Fails the blocking operations of the processes named by `aliases` with `error`. */
  abortDeadlocked(aliases: readonly string[], error: Error): void;
  /** A placeholder of `request` opened at the peer its channel lives at, if that is one of this station's (a routed argument). */
  openPlaceholder(request: EndRequest): OpenedPlaceholder | undefined;
  /** The end `id` peer `holder` opened here, to be adopted. */
  placeholderAt(holder: PeerId, id: number): Placeholder | undefined;
  /** A proxy adopting the placeholder of routed argument `arg`, which `holder` spawned with; throws if its home is not reached. */
  adoptRouted(holder: PeerId, arg: RoutedWire): ProxyEnd<unknown>;
  /** Calls `then` once this station is connected to every peer of `peers` (at once if it is). */
  whenConnected(peers: ReadonlySet<PeerId>, then: () => void): void;
}

type RoutedWire = Extract<ArgWire, { kind: 'routed' }>;

/** A placeholder opened at a channel's home for a routed argument, and how to know the home has it. */
export interface OpenedPlaceholder {
  readonly wire: RoutedWire;
  readonly proxy: ProxyEnd<unknown>;
  /** Resolves once its home has handled everything sent to it before (its `open` included). */
  settle(): Promise<void>;
}

interface Running {
  readonly name: string;
  /** Placeholders opened at third stations for its routed ends. */
  readonly placeholders: readonly ProxyEnd<unknown>[];
  resolve(): void;
  reject(error: unknown): void;
}

export class Connection implements PeerConnection, LinkHandler {
  readonly id: PeerId;
  private readonly link: Link;
  private readonly home: Home;
  private readonly client: Client;
  private readonly spawned = new Map<number, Running>();
  /** Processes the peer spawned here that are still running, and who waits for none to be. */
  private hosted = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly remote = new WeakMap<Channel<unknown>, ChannelState>();
  private readonly lostHandlers: ((cause: Error) => void)[] = [];
  private readonly lostError: (cause: unknown) => Error;
  private readonly mark: (error: unknown) => void;
  private nextPid = -1;
  private death: Error | null = null;
  /** Wait reports asked of the peer and not yet answered. */
  private readonly asked = new Map<number, { resolve(r: WaitReport): void; reject(e: unknown): void }>();
  private nextAsk = 1;

  constructor(
    private readonly station: StationCore,
    wire: Wire,
    options: ConnectOptions,
  ) {
    this.id = options.peer;
    const defer = options.defer;
    this.link = new Link(wire, defer === undefined ? { self: station.id, peer: options.peer } : { self: station.id, peer: options.peer, defer });
    this.mark = options.mark ?? (() => {});
    this.lostError = options.lostError ?? ((cause) => (cause instanceof Error ? cause : new Error(`peer "${options.peer}" was lost: ${String(cause)}`)));
    const codecs = station.registry.codecs;
    this.home = new Home(
      { channels: station.channels, codecs, errors: station.errors, fault: (e) => station.fault(e), placeholder: (holder, id) => station.placeholderAt(holder, id) },
      this.link,
    );
    this.client = new Client(this.link, station.errors, this.mark, options.description ?? `peer "${options.peer}"`);
    this.link.serve(this);
  }

  // ---- Peer ---------------------------------------------------------------------------------------

  spawn(name: string, args: readonly unknown[], site = ''): Spawned {
    if (this.death !== null) return { done: Promise.reject(this.death), ends: [] };
    const pid = this.nextPid--;
    const placeholders: ProxyEnd<unknown>[] = [];
    const homes = new Map<string, () => Promise<void>>();
    const { wire, ends } = argsOut(args, {
      values: this.station.values,
      here: (request) => this.station.homeOf(request.channel),
      there: (request) => this.remote.get(request.channel),
      endHere: (ch, side) => {
        const given = this.home.giveEnd(ch, side, pid, name);
        const wire: ArgWire = { kind: 'proxy', side, end: given.end, channel: given.channel, name: ch.core.name, codec: ch.codec.name };
        return { wire, end: { side, retire: () => this.home.retireEnd(given.home) } };
      },
      endThere: (state, side) => {
        const proxy = this.client.proxies.open(state, side);
        return { wire: { kind: 'home-end', end: proxy.id }, end: { side, retire: () => proxy.retire() } };
      },
      routed: (request) => {
        const made = this.station.openPlaceholder(request);
        if (made === undefined) return undefined;
        placeholders.push(made.proxy);
        homes.set(made.wire.via, made.settle);
        return { wire: made.wire, end: { side: request.side, retire: () => made.proxy.retire() } };
      },
    });
    const done = new Promise<void>((resolve, reject) => this.spawned.set(pid, { name, placeholders, resolve, reject }));
    const send = (): void => {
      if (this.death === null) this.link.send({ kind: 'spawn', pid, name, args: wire, site });
    };
    // A placeholder must be open at its home before the peer adopts it (they travel different
    // links): the spawn leaves once every home of one has answered a ping sent after it.
    if (homes.size === 0) send();
    else void Promise.all([...homes.values()].map((settle) => settle())).then(send, send);
    return { done, ends };
  }

  channel<T>(spec: RemoteChannelSpec<T>): Channel<T> {
    const { channel, state } = this.client.makeChannel(spec);
    this.remote.set(channel as Channel<unknown>, state);
    return channel;
  }

  settle(): Promise<void> {
    return this.client.settle();
  }

  onLost(handler: (cause: Error) => void): void {
    if (this.death !== null) handler(this.death);
    else this.lostHandlers.push(handler);
  }

  // ---- deadlock detection across stations ----------------------------------------------------

  /** The peer's waits (answered once it has gone idle). */
  askWaits(): Promise<WaitReport> {
    if (this.death !== null) return Promise.reject(this.death);
    const op = this.nextAsk++;
    return new Promise((resolve, reject) => {
      this.asked.set(op, { resolve, reject });
      this.link.send({ kind: 'wait-ask', op });
    });
  }

  /** The peer's processes named by `aliases` are deadlocked. */
  tellDeadlock(aliases: readonly string[], error: Error): void {
    if (this.death !== null) return;
    this.link.send({ kind: 'deadlock', error: this.station.errors.toWire(error), processes: this.station.values.encode(aliases) });
  }

  /** This link's traffic, for a wait report. */
  get counts(): LinkCounts {
    return { peer: this.id, sent: this.link.sentCount, received: this.link.receivedCount, quiet: this.link.quiet };
  }

  /** The pid of the peer's process `record` stands for here, or null. */
  standInPid(record: ProcessRecord): number | null {
    return this.home.standInPid(record);
  }

  /** The pid this station's process `record` has on this link, if any. */
  knownPid(record: ProcessRecord): number | undefined {
    return this.client.knownPid(record);
  }

  /** True for a proxy end of this link. */
  ownsProxy(end: unknown): boolean {
    return this.client.owns(end);
  }

  // ---- direct routes (record 0014) ----------------------------------------------------------

  /** A placeholder of `request` opened at the peer, if its channel lives there: the routed argument naming it. */
  openPlaceholder(request: EndRequest): OpenedPlaceholder | undefined {
    const state = this.remote.get(request.channel);
    if (state === undefined || this.death !== null) return undefined;
    const proxy = this.client.proxies.open(state, request.side);
    const wire: RoutedWire = { kind: 'routed', side: request.side, via: this.id, placeholder: proxy.id, channel: state.id, name: state.name, codec: state.codec.name };
    return { wire, proxy, settle: () => this.settle() };
  }

  /** The end `id` the peer opened here (to be adopted by another peer's end), and what retires it. */
  placeholder(id: number): Placeholder | undefined {
    const end = this.home.find(id);
    return end === undefined ? undefined : { end, retire: () => this.home.retireEnd(end) };
  }

  /** A proxy adopting, at the peer, the placeholder `holder` opened there for routed argument `arg`. */
  adopt(holder: PeerId, arg: RoutedWire, codec: Codec<unknown>): ProxyEnd<unknown> {
    return this.client.proxies.adopt(holder, arg.placeholder, arg.channel, arg.name, codec, arg.side);
  }

  // ---- PeerConnection ------------------------------------------------------------------------------

  lose(cause: unknown): void {
    if (this.death !== null) return;
    const error = this.lostError(cause);
    this.death = error;
    this.home.lose(error);
    this.client.fail(error);
    for (const r of this.spawned.values()) {
      const failure = this.lostError(cause);
      markError(failure, 'process', r.name);
      // Its routed ends are at third stations, which may not see this peer go: they are told here.
      for (const p of r.placeholders) p.poisonFrom(error, undefined);
      r.reject(failure);
    }
    this.spawned.clear();
    for (const h of this.lostHandlers) h(error);
    for (const a of this.asked.values()) a.reject(error);
    this.asked.clear();
    this.link.close();
  }

  pause(): void {
    this.link.pause();
  }

  resume(): void {
    this.link.resume();
  }

  close(): void {
    this.home.close();
    this.link.close();
  }

  flush(): void {
    this.link.flush();
  }

  /**
   * From now on every operation of this side's proxies fails with `error` (a worker stopping):
   * the processes running here end with it and report so, over a link that stays open.
   */
  interrupt(error: Error): void {
    this.client.fail(error);
  }

  /** Resolves once no process the peer spawned here is running. */
  idle(): Promise<void> {
    if (this.hosted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  abandon(error: unknown): void {
    this.link.send({ kind: 'fatal', error: this.station.errors.toWire(error) });
    this.link.close();
  }

  // ---- LinkHandler ---------------------------------------------------------------------------------

  request(m: Request): void {
    this.home.handle(m);
  }

  answer(m: Answer): void {
    this.client.answer(m);
  }

  process(m: ProcessMessage): void {
    switch (m.kind) {
      case 'spawn':
        return this.run(m.pid, m.name, m.args, m.site);
      case 'ended': {
        const r = this.spawned.get(m.pid);
        if (r === undefined) throw new ProtocolError(this.link.peer, `an "ended" message names process ${m.pid}, which was not spawned there`);
        this.spawned.delete(m.pid);
        if (m.error === null) {
          this.home.finish(m.pid, { kind: 'retire' });
          return r.resolve();
        }
        const error = this.station.errors.fromWire(m.error);
        this.mark(error);
        const ending = endingFor(error);
        this.home.finish(m.pid, ending);
        // A failed process poisons what it held, its routed ends too (also those it never adopted).
        if (ending.kind === 'poison') for (const p of r.placeholders) p.poisonFrom(ending.reason, ending.origin);
        return r.reject(error);
      }
      case 'fatal': {
        const error = this.station.errors.fromWire(m.error);
        this.mark(error);
        return this.lose(error);
      }
      case 'wait-ask':
        // Answered once this side has gone idle twice (as a ping), with its waits then.
        this.link.later(() => this.link.later(() => this.link.send({ kind: 'wait-report', op: m.op, report: this.station.values.encode(this.station.reportWaits()) })));
        return;
      case 'wait-report': {
        const a = this.asked.get(m.op);
        this.asked.delete(m.op);
        return a?.resolve(this.station.values.decode(m.report) as WaitReport);
      }
      case 'deadlock':
        return this.station.abortDeadlocked(this.station.values.decode(m.processes) as string[], this.station.errors.fromWire(m.error) as Error);
    }
  }

  fault(error: ProtocolError): void {
    const about = error.about;
    if (about !== null && about.kind !== null) {
      // A malformed message still names what it concerns: that operation fails with the error.
      if (about.op !== null && isRequestKind(about.kind)) this.link.send({ kind: 'failed', op: about.op, error: this.station.errors.toWire(error), aborted: false, credit: 0 });
      else if (about.op !== null && isAnswerKind(about.kind)) this.client.answer({ kind: 'failed', op: about.op, error: this.station.errors.toWire(error), aborted: false, credit: 0 });
      else if (about.kind === 'write' && about.end !== null) this.home.poisonChannelOf(about.end, error);
      else if (about.kind === 'spawn' && about.pid !== null) this.link.send({ kind: 'ended', pid: about.pid, error: this.station.errors.toWire(error) });
      else if (about.kind === 'ended' && about.pid !== null) this.spawned.get(about.pid)?.reject(error);
    }
    this.station.fault(error);
  }

  lost(cause: Error): void {
    this.lose(cause);
  }

  // ---- running processes the peer spawns here --------------------------------------------------

  private run(pid: number, name: string, wire: readonly ArgWire[], site: string): void {
    const routes = routesOf(wire);
    // A route to a third station may be joined after the spawn arrives (it comes another way).
    if (routes.size > 0) return this.station.whenConnected(routes, () => this.start(pid, name, wire, site));
    this.start(pid, name, wire, site);
  }

  private start(pid: number, name: string, wire: readonly ArgWire[], site: string): void {
    if (this.death !== null) return;
    let release: (() => void) | null = null;
    const ended = (error: unknown): void => {
      if (release !== null) {
        release();
        if (--this.hosted === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
      this.link.send({ kind: 'ended', pid, error: error === undefined ? null : this.station.errors.toWire(error) });
    };
    try {
      const factory = this.station.registry.processes.get(name);
      if (factory === undefined) throw new Error(`no process named "${name}" is registered in ${this.station.id} (a worker runs only processes exported by the modules it was given)`);
      const registered = factory.processSite ?? '';
      if (site !== '' && registered !== '' && site !== registered) throw new ProcessClashError(name, site, registered, `(the network's, and the one ${this.station.id} registered)`);
      const args = argsIn(wire, {
        values: this.station.values,
        proxy: (arg) => {
          const codec = this.station.registry.codecs.get(arg.codec);
          if (codec === undefined) throw new Error(`channel "${arg.name}" uses codec "${arg.codec}", which is not registered in ${this.station.id}`);
          return this.client.proxies.proxy(this.client.proxies.channel(arg.channel, arg.name, codec), arg.side, arg.end, pid);
        },
        opened: (end) => this.home.openedEnd(end).end,
        routed: (arg) => this.station.adoptRouted(this.id, arg),
      }).map((arg) => this.station.adopt(arg));
      release = this.station.admit(name);
      this.hosted++;
      spawn(factory(...args)).then(() => ended(undefined), ended);
    } catch (error) {
      ended(error);
    }
  }
}

function endingFor(error: unknown): Ending {
  if (error instanceof RetiredError) return { kind: 'retire' };
  if (error instanceof PoisonError) return { kind: 'poison', reason: error.reason, origin: error.origin };
  return { kind: 'poison', reason: error, origin: undefined };
}

