/**
 * The threads runtime: a pool of worker threads runs the processes placed on `worker` (the
 * default), this thread runs those placed on `main`, and every channel lives in this thread as a
 * core channel — a process in a worker gets proxy ends whose operations are performed here, on
 * real ends held for it. So rendezvous, FIFO per writer, exactly-once, retire, poison, alt and
 * deadlock detection are the core's own, across threads. A channel declared `home: 'reader'`
 * lives instead in the worker of its readers (see NetworkChannelOptions.home).
 */
import type { Codec } from '../codec/codec.js';
import { isTermination } from '../core/errors.js';
import { spawn } from '../core/process.js';
import { proxyEnd } from '../transports/threads/client.js';
import { HomeRegistry, type HomeChannel } from '../transports/threads/home.js';
import { builtinCodecs } from '../transports/threads/registry.js';
import type { ArgSpec } from '../transports/threads/spawn-args.js';
import { WorkerPeer } from '../transports/threads/worker-peer.js';
import { rebuild } from './local.js';
import { bindArgs, EndRef, type ChannelDecl, type Network, type Placed } from './network.js';
import type { Execution, Runtime } from './runtime.js';

export interface ThreadsOptions {
  /** Worker threads in the pool. Default 2. */
  readonly size?: number;
  /**
   * The modules (URLs or `file:` paths, `.js` or `.ts`) whose exported processes and codecs the
   * workers may run. A worker runs only processes registered from these modules, by name.
   */
  readonly modules: readonly (string | URL)[];
}

export function threads(options: ThreadsOptions): Runtime {
  const size = options.size ?? 2;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`threads({ size }): size must be an integer >= 1, got ${size}`);
  const modules = options.modules.map((m) => String(m));
  return { name: `threads(${size})`, size, execute: (net) => execute(net, size, modules) };
}

/** One process instance to run, and where: -1 for main, else the index of a worker. */
interface Slot {
  readonly placed: Placed;
  readonly at: number;
}

/** Where a channel lives: here (a HomeChannel), or in worker `at` under id `id`. */
type Home = { readonly kind: 'here'; readonly ch: HomeChannel } | { readonly kind: 'worker'; readonly at: number; readonly id: number; readonly name: string; readonly decl: ChannelDecl<unknown> };

interface Leaving {
  readonly side: 'reader' | 'writer';
  retire(): void;
}

function execute(net: Network, size: number, modules: readonly string[]): Execution {
  const slots: Slot[] = [];
  let next = 0;
  const remoteCount = net.processes.filter((p) => p.place !== 'main').reduce((n, p) => n + p.replicas, 0);
  const workers = Math.min(size, remoteCount);
  for (const placed of net.processes) {
    for (let r = 0; r < placed.replicas; r++) slots.push({ placed, at: placed.place === 'main' ? -1 : next++ % workers });
  }
  const codecs = builtinCodecs();
  for (const decl of net.channels) codecs.set(decl.codec.name, decl.codec as Codec<unknown>);
  const registry = new HomeRegistry();
  const peers: WorkerPeer[] = [];
  let fault: Error | null = null;
  for (let i = 0; i < workers; i++) {
    const peer = WorkerPeer.start(modules, registry, codecs);
    // A frame that fails to decode poisons its channel (so the network ends) and fails the run.
    peer.home.onFault = (error) => {
      fault ??= error;
    };
    peers.push(peer);
  }
  const sources: Leaving[][] = [];
  let draining = false;
  const drain = (): void => {
    draining = true;
    for (const ends of sources) for (const e of ends) e.retire();
  };

  const started = (async (): Promise<Promise<void>[]> => {
    const homes = await placeChannels(net, slots, registry, peers);
    // Every process's ends are made before any process starts: one that ended early would
    // otherwise retire a side of a channel for good before a later process had its end on it.
    const starts: (() => Promise<void>)[] = [];
    for (const slot of slots) {
      const ends: Leaving[] = [];
      if (slot.at === -1) {
        const args: unknown[] = [];
        for (const arg of slot.placed.instance.args) args.push(await bindMain(arg, homes, peers, ends));
        starts.push(() => spawn(rebuild(slot.placed.instance, args)));
      } else {
        const peer = peers[slot.at] as WorkerPeer;
        const held: number[] = [];
        const spec = (arg: unknown): ArgSpec => {
          if (!(arg instanceof EndRef)) return { k: 'v', v: arg };
          const home = homes.get(arg.channel.name) as Home;
          if (home.kind === 'worker') return { k: 'local', side: arg.side, c: home.id };
          const he = registry.makeEnd(home.ch.id, arg.side);
          held.push(he.id);
          ends.push(he.end);
          return { k: 'end', side: arg.side, e: he.id, c: home.ch.id, name: home.ch.core.name, codec: home.ch.codec.name };
        };
        const args = slot.placed.instance.args.map((arg) => (Array.isArray(arg) ? { k: 'list' as const, items: arg.map(spec) } : spec(arg)));
        starts.push(() => peer.spawn(slot.placed.instance.name, args, held));
      }
      if (ends.every((e) => e.side === 'writer')) {
        sources.push(ends);
        if (draining) for (const e of ends) e.retire();
      }
    }
    return starts.map((start) => start());
  })();
  const done = started
    .then(settleAll)
    .then(() => {
      if (fault !== null) throw fault;
    })
    .finally(() => Promise.all(peers.map((p) => p.terminate())));
  return { done, drain };
}

/** Decides where each channel lives and makes it there. */
async function placeChannels(net: Network, slots: readonly Slot[], registry: HomeRegistry, peers: readonly WorkerPeer[]): Promise<Map<string, Home>> {
  const homes = new Map<string, Home>();
  for (const decl of net.channels) {
    const options = { ...decl.options, name: decl.name };
    if (decl.options.home !== 'reader') {
      homes.set(decl.name, { kind: 'here', ch: registry.addChannel(options, decl.codec as Codec<unknown>) });
      continue;
    }
    const at = readerThread(decl, slots);
    if (at === -1) homes.set(decl.name, { kind: 'here', ch: registry.addChannel(options, decl.codec as Codec<unknown>) });
    else {
      const { codec: _codec, home: _home, ...plain } = options;
      const made = await (peers[at] as WorkerPeer).makeChannel(plain, decl.codec.name);
      homes.set(decl.name, { kind: 'worker', at, id: made.id, name: made.name, decl });
    }
  }
  return homes;
}

/** The thread where every reader of `decl` runs (-1: main); throws if the placement cannot hold. */
function readerThread(decl: ChannelDecl<unknown>, slots: readonly Slot[]): number {
  const readers = new Set<number>();
  const writers = new Set<number>();
  for (const slot of slots) {
    for (const arg of slot.placed.instance.args.flat()) {
      if (arg instanceof EndRef && arg.channel === decl) (arg.side === 'reader' ? readers : writers).add(slot.at);
    }
  }
  if (readers.size !== 1) throw new Error(`channel "${decl.name}" has home: 'reader', but its readers run in ${readers.size} threads (they must all run in one)`);
  const at = [...readers][0] as number;
  if (at === -1) return -1;
  for (const w of writers) {
    if (w !== at && w !== -1) throw new Error(`channel "${decl.name}" has home: 'reader', but a writer runs in another worker (writers must run with the readers or on main)`);
  }
  return at;
}

/** The argument a main-thread process gets for `arg`: core ends, or proxies of a worker's channel. */
async function bindMain(arg: unknown, homes: ReadonlyMap<string, Home>, peers: readonly WorkerPeer[], ends: Leaving[]): Promise<unknown> {
  if (Array.isArray(arg) && arg.some((a) => a instanceof EndRef)) {
    const items: unknown[] = [];
    for (const a of arg) items.push(await bindMain(a, homes, peers, ends));
    return items;
  }
  if (!(arg instanceof EndRef)) return arg;
  const home = homes.get(arg.channel.name) as Home;
  let end: Leaving;
  if (home.kind === 'here') {
    end = bindArgs([arg], (ref) => (ref.side === 'reader' ? home.ch.channel.reader() : home.ch.channel.writer()))[0] as Leaving;
  } else {
    const peer = peers[home.at] as WorkerPeer;
    const e = await peer.openEnd(home.id, arg.side);
    end = proxyEnd(peer.client, arg.side, e, { id: home.id, name: home.name, codec: home.decl.codec as Codec<unknown> });
  }
  ends.push(end);
  return end;
}

/** As par: waits for every run, then rejects with the first real error. */
async function settleAll(runs: readonly Promise<void>[]): Promise<void> {
  let first: { error: unknown } | null = null;
  await Promise.all(
    runs.map((run) =>
      run.catch((error: unknown) => {
        if (first === null && !isTermination(error)) first = { error };
      }),
    ),
  );
  if (first !== null) throw (first as { error: unknown }).error;
}
