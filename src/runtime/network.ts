/**
 * A network: named channels (with buffer spec and codec) and the processes placed on them,
 * declared once and run on any runtime. Ends handed to processes in a network are placeholders
 * (EndRef) until a runtime runs it and gives each process instance real ends — core ends in the
 * same thread, proxies across a thread.
 */
import type { Codec } from '../codec/codec.js';
import { msgpackCodec } from '../codec/msgpack.js';
import type { ChannelOptions } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { toBufferSpec } from '../core/buffer.js';
import { isProcessInstance, type ProcessInstance } from '../core/process.js';
import { checkInteger, checkOptions, invalidArgument } from '../core/validate.js';
import { checkDurable, DurableUnsupportedError, type DurableOptions } from './durable-options.js';
import { ProcessClashError } from '../remote/errors.js';

export interface NetworkChannelOptions<T> extends Omit<ChannelOptions, 'name'> {
  /** How values cross a thread or host boundary. Default: msgpack. */
  readonly codec?: Codec<T>;
  /**
   * Where the channel lives on a remote runtime (threads, NATS). `main`: with the runner.
   * `reader`: with its readers — they must all run in one worker (else the run is refused); a
   * writer in another worker reaches it over a direct route between the two — which halves the
   * round trips of a rendezvous between main and a worker. Left out, the placement chooses: with its readers when that holds, else on main, so
   * each value crosses between threads at most once unless its readers are spread.
   */
  readonly home?: 'main' | 'reader';
  /**
   * Values kept in JetStream until a reader has taken and finished with them: they survive the
   * death of workers and servers (docs/nats.md). Needs a buffer (the stream's capacity) and the
   * NATS runtime; local() and threads() refuse it with DurableUnsupportedError.
   */
  readonly durable?: boolean | DurableOptions;
}

export interface ChannelDecl<T> {
  readonly name: string;
  readonly options: NetworkChannelOptions<T>;
  readonly codec: Codec<T>;
  /** A reading end for one process (each process instance gets its own). */
  reader(): Reader<T>;
  /** A writing end for one process. */
  writer(): Writer<T>;
}

export interface SpawnOptions {
  /** Where the process runs: `main` (this thread) or `worker` (default on the threads runtime). */
  readonly place?: 'main' | 'worker';
  /** How many copies to run; each gets its own ends on the same channels. Default 1. */
  readonly replicas?: number;
}

export interface Placed {
  readonly instance: ProcessInstance;
  readonly place: 'main' | 'worker' | undefined;
  readonly replicas: number;
}

export interface NetworkBuilder {
  channel<T>(name: string, options?: NetworkChannelOptions<T>): ChannelDecl<T>;
  spawn(instance: ProcessInstance, options?: SpawnOptions): void;
}

export interface Network {
  readonly channels: readonly ChannelDecl<unknown>[];
  readonly processes: readonly Placed[];
}

/** A placeholder for an end of a declared channel, resolved per process instance at run. */
export class EndRef {
  constructor(
    readonly channel: ChannelDecl<unknown>,
    readonly side: 'reader' | 'writer',
  ) {}
}

const CHANNEL_OPTIONS = ['buffer', 'maxPending', 'codec', 'home', 'durable'] as const;
const SPAWN_OPTIONS = ['place', 'replicas'] as const;

export function network(build: (net: NetworkBuilder) => void): Network {
  if (typeof build !== 'function') {
    throw invalidArgument('type', 'network(build)', 'build', build, 'a function that declares channels and spawns processes', 'Write network((net) => { const c = net.channel(\'c\'); net.spawn(p(c.writer())); }).');
  }
  const channels: ChannelDecl<unknown>[] = [];
  const processes: Placed[] = [];
  const names = new Set<string>();
  const sites = new Map<string, string>();
  build({
    channel<T>(name: string, options: NetworkChannelOptions<T> = {}): ChannelDecl<T> {
      checkChannel(name, options);
      if (names.has(name)) {
        throw invalidArgument('range', 'net.channel(name, options)', 'name', name, 'a name not yet declared in this network', 'Declare each channel once and give its ends to every process that uses it.');
      }
      names.add(name);
      const decl: ChannelDecl<T> = {
        name,
        options,
        codec: options.codec ?? msgpackCodec<T>(),
        reader: () => new EndRef(decl as ChannelDecl<unknown>, 'reader') as unknown as Reader<T>,
        writer: () => new EndRef(decl as ChannelDecl<unknown>, 'writer') as unknown as Writer<T>,
      };
      channels.push(decl as ChannelDecl<unknown>);
      return decl;
    },
    spawn(instance, options = {}) {
      checkSpawn(instance, options);
      checkSite(sites, instance);
      processes.push({ instance, place: options.place, replicas: options.replicas ?? 1 });
    },
  });
  return { channels, processes };
}

/** True for what network() returns. */
export function isNetwork(value: unknown): value is Network {
  if (typeof value !== 'object' || value === null) return false;
  const net = value as Partial<Record<keyof Network, unknown>>;
  return Array.isArray(net.channels) && Array.isArray(net.processes);
}

function checkChannel(name: unknown, options: unknown): void {
  const call = 'net.channel(name, options)';
  if (typeof name !== 'string' || name === '') throw invalidArgument('type', call, 'name', name, 'a non-empty string naming the channel');
  checkOptions(call, 'options', options, CHANNEL_OPTIONS);
  const o = (options ?? {}) as Partial<Record<(typeof CHANNEL_OPTIONS)[number], unknown>>;
  toBufferSpec(o.buffer, call);
  if (o.maxPending !== undefined) checkInteger(call, 'options.maxPending', o.maxPending, 1);
  if (o.home !== undefined && o.home !== 'main' && o.home !== 'reader') throw invalidArgument('type', call, 'options.home', o.home, '"main" or "reader" (or left out: the placement chooses)');
  checkDurable(call, o.durable, o.buffer, o.home);
  if (o.codec !== undefined && !isCodec(o.codec)) {
    throw invalidArgument('type', call, 'options.codec', o.codec, 'a codec: { name, encode(value), decode(bytes) }', 'Use msgpackCodec(), cloneCodec(), jsonCodec(), or an object of that shape.');
  }
}

function isCodec(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Record<keyof Codec<unknown>, unknown>>;
  return typeof c.name === 'string' && c.name !== '' && typeof c.encode === 'function' && typeof c.decode === 'function';
}

function checkSpawn(instance: unknown, options: unknown): void {
  const call = 'net.spawn(process, options)';
  if (!isProcessInstance(instance)) {
    const factory = typeof instance === 'function' ? (instance as { processName?: unknown }).processName : undefined;
    const fix = typeof factory === 'string' ? `Call the factory with its ends and arguments: net.spawn(${factory}(…)).` : 'Make one with a factory from process(name, fn), called with its ends and arguments.';
    throw invalidArgument('type', call, 'process', instance, 'a process instance', fix);
  }
  checkOptions(call, 'options', options, SPAWN_OPTIONS);
  const o = (options ?? {}) as Partial<Record<(typeof SPAWN_OPTIONS)[number], unknown>>;
  if (o.place !== undefined && o.place !== 'main' && o.place !== 'worker') throw invalidArgument('type', call, 'options.place', o.place, '"main" or "worker" (or left out)');
  if (o.replicas !== undefined) checkInteger(call, 'options.replicas', o.replicas, 1);
}

/** One name, one definition: a second process of `instance.name` defined in another file is a ProcessClashError. */
function checkSite(sites: Map<string, string>, instance: ProcessInstance): void {
  const site = instance.site ?? '';
  if (site === '') return;
  const known = sites.get(instance.name);
  if (known === undefined) sites.set(instance.name, site);
  else if (known !== site) throw new ProcessClashError(instance.name, known, site, 'in this network');
}

/** Replaces every EndRef among `args` (directly or in an array) with `make(ref)`. */
export function bindArgs(args: readonly unknown[], make: (ref: EndRef) => unknown): unknown[] {
  // An array is copied only when it holds ends: a plain array argument stays the caller's object.
  return args.map((arg) =>
    arg instanceof EndRef ? make(arg) : Array.isArray(arg) && arg.some((a) => a instanceof EndRef) ? arg.map((a: unknown) => (a instanceof EndRef ? make(a) : a)) : arg,
  );
}

/** Throws DurableUnsupportedError if `net` declares a durable channel (for runtimes that cannot keep one). */
export function refuseDurable(net: Network, runtime: string): void {
  const decl = net.channels.find((c) => c.options.durable !== undefined && c.options.durable !== false);
  if (decl !== undefined) throw new DurableUnsupportedError(decl.name, runtime);
}
