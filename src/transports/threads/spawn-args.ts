/**
 * A process's arguments as they cross to a worker: ends become references to ends living in
 * the spawning thread (the worker makes proxies), plain values are structured-cloned.
 */
import type { Codec } from '../../codec/codec.js';
import { Client, proxyEnd, type ProxyChannel } from './client.js';
import type { HomeRegistry } from './home.js';

export type ArgSpec =
  | { readonly k: 'end'; readonly side: 'reader' | 'writer'; readonly e: number; readonly c: number; readonly name: string; readonly codec: string }
  | { readonly k: 'list'; readonly items: readonly ArgSpec[] }
  /** An end of a channel living in the receiving thread: a real core end is made there. */
  | { readonly k: 'local'; readonly side: 'reader' | 'writer'; readonly c: number }
  | { readonly k: 'v'; readonly v: unknown };

/** Turns arg specs back into arguments, with proxies held for `pid` by the other side. */
export function argsFromSpecs(
  specs: readonly ArgSpec[],
  client: Client,
  codecs: ReadonlyMap<string, Codec<unknown>>,
  pid: number,
  homes: HomeRegistry,
): unknown[] {
  const channels = new Map<number, ProxyChannel>();
  const one = (spec: ArgSpec): unknown => {
    if (spec.k === 'v') return spec.v;
    if (spec.k === 'list') return spec.items.map(one);
    if (spec.k === 'local') return homes.makeEnd(spec.c, spec.side).end;
    const codec = codecs.get(spec.codec);
    if (codec === undefined) throw new Error(`channel "${spec.name}" uses codec "${spec.codec}", which no module of this worker exports`);
    let channel = channels.get(spec.c);
    if (channel === undefined) channels.set(spec.c, (channel = { id: spec.c, name: spec.name, codec }));
    return proxyEnd(client, spec.side, spec.e, channel, pid);
  };
  return specs.map(one);
}
