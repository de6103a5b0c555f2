/**
 * Running a network over peers, whatever carries the messages: the thread runtime is this with a
 * host of worker threads (threads.ts); a NATS runtime is this with a host of NATS workers.
 *
 * This side is a station (src/remote/station.ts): a channel lives here, as a core channel, or at
 * the peer of its readers (channelPlaces: declared `home: 'reader'`, or left out when its readers
 * share a peer). A process in another peer reaches it over a direct route the host opens between
 * the two (Host.route; without routes, only channels whose writers run with the readers or here
 * are placed with their readers). Process instances placed on
 * `main` run here with real ends (core ends, or proxies of a channel living at a peer); the others
 * are spread over the peers, replicas round-robin, and get their ends as EndRequests that the
 * spawn makes where each channel lives. Every end of every process is made before any process
 * starts, so one that ends early cannot retire a channel side a later one still needs. The run
 * settles by par's own rule (core settleAll): after every process has ended, with the first real
 * error; a fault found while serving (a codec fault, a protocol error) fails it too.
 *
 * A peer lost fails the processes it ran, and so the run — except a process whose every end is of
 * a channel the runtime made (NATS: durable), which is restarted: on the least loaded peer left,
 * else on one the host recruits (a worker started since, or back with its server) within
 * `restart.withinMs`, else the run fails with `restart.gaveUp`. Its sides of those channels are
 * held present meanwhile (MadeChannel.hold), so its peer's loss reads as neither end of stream nor
 * readers gone.
 *
 * Observers are told of each peer joining the run (once connected), of each leaving (lost, with
 * the cause; or when the run ends), and of the transport's connection status as its host reports
 * it; a snapshot's workers are the peers, each with the processes placed on it.
 */
import type { Codec } from '../codec/codec.js';
import { summarize } from '../observe/describe.js';
import type { WorkerSnapshot } from '../observe/snapshot.js';
import type { Channel, ChannelOptions } from '../core/chan.js';
import { settleAll, spawn } from '../core/process.js';
import { currentRuntime } from '../core/runtime.js';
import { watchDeadlocks } from '../remote/global-deadlock.js';
import { EndRequest, type Host, type Peer, type Spawned } from '../remote/peer.js';
import { Station } from '../remote/station.js';
import { rebuild } from './local.js';
import { bindArgs, EndRef, refuseDurable, type ChannelDecl, type Network, type Placed } from './network.js';
import type { Execution, ExecutionContext, Runtime } from './runtime.js';
import { checkSpawnArgs } from './spawn-check.js';

export interface RemoteRuntimeOptions<H extends Host = Host> {
  readonly name: string;
  /** The most peers one run uses. */
  readonly size: number;
  /** A host for one run (called once per run). */
  readonly host: () => H;
  /** What one peer is, in errors: `thread`, `host`. */
  readonly unit: string;
  /**
   * Channels this runtime makes itself (NATS: durable channels), once the host has started;
   * without it, a network declaring a durable channel is refused.
   */
  readonly made?: (host: H, station: Station, fault: (error: Error) => void) => ChannelMaker;
  /** When `size` is only a cap: how many peers a run started now would get (see Runtime.available). */
  readonly available?: () => Promise<number>;
  /**
   * Restarting a process lost with its peer when every end it has is of a made channel (its
   * values come back through those channels, see ChannelMaker): at once on a peer left, else on
   * one the host recruits within `withinMs`; after that the run fails with `gaveUp(last loss)`.
   * Absent: such a process fails with its peer like any other.
   */
  readonly restart?: { readonly withinMs: number; gaveUp(cause: Error): Error };
}

/** Makes the channels of a network that are not core channels living in the runtime's station. */
export interface ChannelMaker {
  make(decl: ChannelDecl<unknown>): Promise<MadeChannel>;
  /** After every process ended, before the run resolves: throws if a made channel lost values. */
  verify(): Promise<void>;
  /** The run cannot go on: the made channels are poisoned with `cause`, so the processes here end. */
  abandon(cause: Error): void;
}

/** A channel a ChannelMaker made. */
export interface MadeChannel {
  /** Ends for processes running here. */
  readonly channel: Channel<unknown>;
  /** What a process at a peer is given for an end (any argument that crosses, with EndRequests). */
  remote(side: 'reader' | 'writer'): unknown;
  /**
   * Keeps `side` present while a process holding it may be restarted (its peer's loss must not
   * read as that side leaving); returns what lets go.
   */
  hold(side: 'reader' | 'writer'): () => void;
}

export function remoteRuntime<H extends Host>(options: RemoteRuntimeOptions<H>): Runtime {
  const runtime = {
    name: options.name,
    size: options.size,
    execute: (net: Network, context?: ExecutionContext) => {
      if (options.made === undefined) refuseDurable(net, options.name);
      return execute(net, options, context);
    },
  };
  return options.available === undefined ? runtime : { ...runtime, available: options.available };
}

/** One process instance to run, and where: -1 for here, else the index of a peer. */
interface Slot {
  readonly placed: Placed;
  at: number;
}

interface Leaving {
  readonly side: 'reader' | 'writer';
  retire(): void;
}

function execute<H extends Host>(net: Network, options: RemoteRuntimeOptions<H>, context?: ExecutionContext): Execution {
  const report = context?.report ?? (() => {});
  const remoteCount = net.processes.filter((p) => p.place !== 'main').reduce((n, p) => n + p.replicas, 0);
  const peerCount = Math.min(options.size, remoteCount);
  const slots: Slot[] = [];
  let next = 0;
  for (const placed of net.processes) {
    for (let r = 0; r < placed.replicas; r++) slots.push({ placed, at: placed.place === 'main' ? -1 : next++ % peerCount });
  }
  const station = new Station({ id: 'main' });
  try {
    checkSpawnArgs(
      net.processes.filter((p) => p.place !== 'main'),
      station.values,
    );
  } catch (error) {
    return { done: Promise.reject(error as Error), drain: () => {} };
  }
  for (const decl of net.channels) station.registry.codecs.set(decl.codec.name, decl.codec as Codec<unknown>);
  let fault: Error | null = null;
  station.onFault = (error) => {
    fault ??= error;
  };
  const host = options.host();
  const made = new Map<string, MadeChannel>();
  let maker: ChannelMaker | null = null;
  /** Every peer that took part in the run; `active`: those in it now (a lost one leaves it). */
  const joined: Peer[] = [];
  const active: Peer[] = [];
  /** Processes running at each peer; `fixed`: those of them that cannot be restarted. */
  const live = new Map<Peer, number>();
  const fixed = new Map<Peer, number>();
  /** The peers that have left the run: lost, or (once it ends) let go. */
  const left = new Set<Peer>();
  const sources: Leaving[][] = [];
  let stopWatching = (): void => {};
  let draining = false;
  const drain = (): void => {
    draining = true;
    for (const ends of sources) for (const e of ends) e.retire();
  };
  const count = (at: Map<Peer, number>, peer: Peer, by: number): void => void at.set(peer, (at.get(peer) ?? 0) + by);

  /** A peer is in the run: observers are told; its loss is watched. */
  const admit = (peer: Peer): void => {
    joined.push(peer);
    active.push(peer);
    report({ type: 'worker:join', worker: peer.id });
    peer.onLost((cause) => {
      if (left.has(peer)) return;
      left.add(peer);
      active.splice(active.indexOf(peer), 1);
      report({ type: 'worker:leave', worker: peer.id, error: summarize(cause) });
      // A process that cannot be restarted died with it, so the run fails: the made channels are
      // poisoned now, so the processes here end instead of waiting on values nobody will move.
      if (maker !== null && (fixed.get(peer) ?? 0) > 0) {
        fault ??= cause;
        maker.abandon(cause);
      }
    });
  };

  /**
   * Waits until a peer is in the run again, recruiting one from the host: rejects with the fault
   * once the run fails, or with `gaveUp(cause)` (which fails the run) after `withinMs`.
   */
  let recruiting: Promise<void> | null = null;
  const recruit = async (restart: NonNullable<RemoteRuntimeOptions['restart']>, cause: Error): Promise<void> => {
    const scheduler = currentRuntime().scheduler;
    let over = false;
    const cancel = scheduler.setTimer(restart.withinMs, () => {
      over = true;
    });
    try {
      for (;;) {
        if (fault !== null) throw fault;
        if (active.length > 0) return;
        for (const peer of (await host.recruit?.(peerCount)) ?? []) admit(peer);
        if (active.length > 0 || fault !== null) continue;
        if (over) {
          const error = restart.gaveUp(cause);
          fault ??= error;
          maker?.abandon(error);
          throw error;
        }
        await new Promise<void>((resolve) => scheduler.setTimer(RECRUIT_EVERY_MS, resolve));
      }
    } finally {
      cancel();
    }
  };
  /** Resolves once a peer is in the run (see recruit). */
  const takeOver = async (restart: NonNullable<RemoteRuntimeOptions['restart']>, cause: Error): Promise<void> => {
    while (active.length === 0) {
      recruiting ??= recruit(restart, cause).finally(() => {
        recruiting = null;
      });
      await recruiting;
    }
    if (fault !== null) throw fault;
  };
  /** The least loaded peer in the run (chosen and used in one turn, so two restarts spread). */
  const leastLoaded = (): Peer => active.reduce((a, b) => ((live.get(b) ?? 0) < (live.get(a) ?? 0) ? b : a));

  const started = (async (): Promise<Promise<void>[]> => {
    // Channels living here are made before anything is awaited: synchronously within execute(),
    // as on local(), so whatever watches the run from its start (an observer) sees them made.
    const places = channelPlaces(net, slots, options.unit, host.route !== undefined);
    const channels = new Map<string, Channel<unknown>>();
    for (const decl of net.channels) if (places.get(decl) === -1 && !isDurable(decl)) channels.set(decl.name, station.channel(channelSpec(decl), decl.codec));
    const peers = peerCount === 0 ? [] : await host.start(station, peerCount, { connection: (status, detail) => report({ type: 'connection', transport: options.name, status, ...(detail === undefined ? {} : { detail }) }) });
    for (const peer of peers) admit(peer);
    if (peers.length > 0) stopWatching = watchDeadlocks(station, active, currentRuntime().scheduler, host.whenQuiet?.bind(host));
    const durable = net.channels.filter(isDurable);
    if (durable.length > 0) {
      const m0 = (options.made as NonNullable<typeof options.made>)(host, station, (error) => (fault ??= error));
      maker = m0;
      for (const decl of durable) {
        const m = await m0.make(decl);
        made.set(decl.name, m);
        channels.set(decl.name, m.channel);
      }
    }
    // A host may find fewer peers than asked for (NATS: fewer workers answered): spread over those.
    if (peers.length < peerCount) for (const slot of slots) if (slot.at >= 0) slot.at %= peers.length;
    for (const decl of net.channels) {
      const at = places.get(decl) as number;
      if (at >= 0) channels.set(decl.name, (peers[at % peers.length] as Peer).channel({ ...channelSpec(decl), codec: decl.codec }));
    }
    const channelOf = (ref: EndRef): Channel<unknown> => channels.get(ref.channel.name) as Channel<unknown>;
    // A process whose channel lives in another peer reaches it over a direct route.
    const routed = new Set<string>();
    const joining: (Promise<void> | void)[] = [];
    for (const slot of slots) {
      for (const ref of slot.at === -1 ? [] : endRefs(slot)) {
        const home = places.get(ref.channel) as number;
        if (home === -1 || made.has(ref.channel.name) || home % peers.length === slot.at) continue;
        const [a, b] = [slot.at, home % peers.length].sort((x, y) => x - y) as [number, number];
        if (routed.has(`${a}/${b}`)) continue;
        routed.add(`${a}/${b}`);
        joining.push(host.route?.(peers[a] as Peer, peers[b] as Peer));
      }
    }
    await Promise.all(joining);
    // Every process's ends are made (synchronously, here) before any process starts.
    const runs: (() => Promise<void>)[] = [];
    for (const slot of slots) {
      const ends: Leaving[] = [];
      if (slot.at === -1) {
        const args = bindArgs(slot.placed.instance.args, (ref) => {
          const end = (ref.side === 'reader' ? channelOf(ref).reader() : channelOf(ref).writer()) as unknown as Leaving;
          ends.push(end);
          return end;
        });
        runs.push(() => spawn(rebuild(slot.placed.instance, args)));
      } else {
        // A process whose every end is of a made (durable) channel is restarted when its peer is
        // lost: the values it held come back through those channels. Its sides are held present
        // meanwhile, and let go once it has ended for good.
        const refs = endRefs(slot);
        const restart = options.restart;
        const restartable = restart !== undefined && refs.length > 0 && refs.every((ref) => made.has(ref.channel.name));
        const place = (peer: Peer): Spawned => {
          const args = bindArgs(slot.placed.instance.args, (ref) => made.get(ref.channel.name)?.remote(ref.side) ?? new EndRequest(channelOf(ref), ref.side));
          const spawned = peer.spawn(slot.placed.instance.name, args, slot.placed.instance.site);
          const counts = restartable ? [live] : [live, fixed];
          for (const at of counts) count(at, peer, 1);
          const ended = (): void => {
            for (const at of counts) count(at, peer, -1);
          };
          spawned.done.then(ended, ended);
          ends.push(...spawned.ends);
          return spawned;
        };
        let peer = peers[slot.at] as Peer;
        let spawned = place(peer);
        const held = restartable ? refs.map((ref) => (made.get(ref.channel.name) as MadeChannel).hold(ref.side)) : [];
        runs.push(async () => {
          try {
            for (;;) {
              try {
                return await spawned.done;
              } catch (error) {
                if (!restartable || !left.has(peer)) throw error;
                // The run is failing anyway: with its own error, not this loss.
                if (fault !== null) throw fault;
                await takeOver(restart, error as Error);
                peer = leastLoaded();
                spawned = place(peer);
                if (draining && sources.includes(ends)) for (const e of spawned.ends) e.retire();
              }
            }
          } finally {
            for (const letGo of held) letGo();
          }
        });
      }
      if (ends.every((e) => e.side === 'writer')) {
        sources.push(ends);
        if (draining) for (const e of ends) e.retire();
      }
    }
    return runs.map((run) => run());
  })();
  const done = started
    .then(settleAll)
    .then(async () => {
      if (fault !== null) throw fault;
      await maker?.verify();
    })
    .finally(() => {
      stopWatching();
      for (const peer of joined) {
        if (left.has(peer)) continue;
        left.add(peer);
        report({ type: 'worker:leave', worker: peer.id });
      }
      return host.close();
    });
  /** One row per worker id: a worker asked back after a loss joins again as a new peer of the same id. */
  const workers = (): WorkerSnapshot[] => {
    const latest = new Map<string, Peer>();
    for (const peer of joined) latest.set(peer.id, peer);
    return [...latest.values()].map((peer) => ({ id: peer.id, utilisation: null, processes: left.has(peer) ? 0 : (live.get(peer) ?? 0) }));
  };
  return { done, drain, workers };
}

/** How often a run with processes to restart and no peer left asks the host for one. */
const RECRUIT_EVERY_MS = 250;

function isDurable(decl: ChannelDecl<unknown>): boolean {
  return decl.options.durable !== undefined && decl.options.durable !== false;
}

/** The ends a process instance is given. */
function endRefs(slot: Slot): EndRef[] {
  return slot.placed.instance.args.flat().filter((a): a is EndRef => a instanceof EndRef);
}

/**
 * Where each channel lives: -1 here, else the index of a peer. `home: 'main'` keeps a channel here;
 * `home: 'reader'` puts it with its readers or throws if that cannot hold; left out, a channel
 * whose readers all run in one peer lives with its readers (each value then crosses at most once,
 * and a reader's operations never leave its peer), any other here. Without direct routes between
 * peers (`routes` false), a channel lives with its readers only when its writers run there or
 * here. A durable channel is always here.
 */
function channelPlaces(net: Network, slots: readonly Slot[], unit: string, routes: boolean): Map<ChannelDecl<unknown>, number> {
  const places = new Map<ChannelDecl<unknown>, number>();
  for (const decl of net.channels) {
    const home = decl.options.home;
    // A durable channel's control state lives here; its values live in JetStream.
    places.set(decl, home === 'main' || isDurable(decl) ? -1 : home === 'reader' ? readerPlace(decl, slots, unit, routes) : (withReaders(decl, slots, routes) ?? -1));
  }
  return places;
}

/** A declared channel's options as a channel is made with them (its name; no codec or home). */
function channelSpec(decl: ChannelDecl<unknown>): ChannelOptions {
  const { codec: _codec, home: _home, durable: _durable, ...options } = decl.options;
  return { ...options, name: decl.name };
}

/** Where the readers and the writers of `decl` run (-1: here). */
function endPlaces(decl: ChannelDecl<unknown>, slots: readonly Slot[]): { readonly readers: Set<number>; readonly writers: Set<number> } {
  const readers = new Set<number>();
  const writers = new Set<number>();
  for (const slot of slots) {
    for (const arg of slot.placed.instance.args.flat()) {
      if (arg instanceof EndRef && arg.channel === decl) (arg.side === 'reader' ? readers : writers).add(slot.at);
    }
  }
  return { readers, writers };
}

/** The peer every reader of `decl` runs in (when every writer runs there or here, without routes); else null. */
function withReaders(decl: ChannelDecl<unknown>, slots: readonly Slot[], routes: boolean): number | null {
  const { readers, writers } = endPlaces(decl, slots);
  if (readers.size !== 1) return null;
  const at = [...readers][0] as number;
  if (at === -1) return null;
  if (!routes) for (const w of writers) if (w !== at && w !== -1) return null;
  return at;
}

/** Where every reader of `decl` runs (-1: here); throws if the placement cannot hold. */
function readerPlace(decl: ChannelDecl<unknown>, slots: readonly Slot[], unit: string, routes: boolean): number {
  const { readers, writers } = endPlaces(decl, slots);
  if (readers.size !== 1) throw new Error(`channel "${decl.name}" has home: 'reader', but its readers run in ${readers.size} ${unit}s (they must all run in one)`);
  const at = [...readers][0] as number;
  if (at === -1 || routes) return at;
  for (const w of writers) {
    if (w !== at && w !== -1) throw new Error(`channel "${decl.name}" has home: 'reader', but a writer runs in another ${unit} (writers must run with the readers or on main)`);
  }
  return at;
}
