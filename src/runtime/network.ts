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
import type { ProcessInstance } from '../core/process.js';

export interface NetworkChannelOptions<T> extends Omit<ChannelOptions, 'name'> {
  /** How values cross a thread or host boundary. Default: msgpack. */
  readonly codec?: Codec<T>;
  /**
   * Where the channel lives on the threads runtime. `main` (default): in the main thread, where
   * deadlock detection sees it. `reader`: in the thread of its readers — they must all be in one
   * worker, and its writers in that worker or on main — which halves the round trips of a
   * rendezvous between main and a worker; deadlock detection does not span such a channel.
   */
  readonly home?: 'main' | 'reader';
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

export function network(build: (net: NetworkBuilder) => void): Network {
  const channels: ChannelDecl<unknown>[] = [];
  const processes: Placed[] = [];
  const names = new Set<string>();
  build({
    channel<T>(name: string, options: NetworkChannelOptions<T> = {}): ChannelDecl<T> {
      if (names.has(name)) throw new Error(`network: channel "${name}" is declared twice`);
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
      const replicas = options.replicas ?? 1;
      if (!Number.isInteger(replicas) || replicas < 1) throw new RangeError(`network: replicas must be an integer >= 1, got ${replicas}`);
      processes.push({ instance, place: options.place, replicas });
    },
  });
  return { channels, processes };
}

/** Replaces every EndRef among `args` (directly or in an array) with `make(ref)`. */
export function bindArgs(args: readonly unknown[], make: (ref: EndRef) => unknown): unknown[] {
  // An array is copied only when it holds ends: a plain array argument stays the caller's object.
  return args.map((arg) =>
    arg instanceof EndRef ? make(arg) : Array.isArray(arg) && arg.some((a) => a instanceof EndRef) ? arg.map((a: unknown) => (a instanceof EndRef ? make(a) : a)) : arg,
  );
}
