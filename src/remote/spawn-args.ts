/**
 * A spawned process's arguments as they cross: plain values are copied by the station's value
 * codec; an EndRequest becomes an end made where its channel lives — held at the spawner for the
 * remote process (which gets a proxy), opened at the receiver (which gets a core end), or, for a
 * channel living at a third station, a placeholder opened there that the receiver adopts over a
 * direct route (record 0014) — and arrays holding ends keep their shape.
 */
import type { Codec } from '../codec/codec.js';
import type { HomeChannel } from './home-channels.js';
import { EndRequest, type SpawnedEnd } from './peer.js';
import type { ArgWire, Side } from './protocol.js';
import type { ChannelState } from './proxy-channel.js';

/** What turning arguments into their wire form needs of the spawning side. */
export interface ArgsOut {
  readonly values: Codec<unknown>;
  /** The home channel of `request`'s channel if it lives in this station. */
  here(request: EndRequest): HomeChannel | undefined;
  /** The state of `request`'s channel if it lives at the receiving peer. */
  there(request: EndRequest): ChannelState | undefined;
  /** Makes an end of a channel living here, held for the process; its ids on the link and how to retire it. */
  endHere(ch: HomeChannel, side: Side): { readonly wire: ArgWire; readonly end: SpawnedEnd };
  /** Opens an end of a channel living at the receiver; its id on the link and how to retire it. */
  endThere(state: ChannelState, side: Side): { readonly wire: ArgWire; readonly end: SpawnedEnd };
  /** Opens a placeholder of `request` at the third station its channel lives in, if it lives in one. */
  routed(request: EndRequest): { readonly wire: ArgWire; readonly end: SpawnedEnd } | undefined;
}

/** `args` in wire form, and the ends made for them. Throws for an argument that cannot cross. */
export function argsOut(args: readonly unknown[], out: ArgsOut): { readonly wire: ArgWire[]; readonly ends: SpawnedEnd[] } {
  const ends: SpawnedEnd[] = [];
  const one = (arg: unknown): ArgWire => {
    if (arg instanceof EndRequest) {
      const ch = out.here(arg);
      const made = ch !== undefined ? out.endHere(ch, arg.side) : endThere(arg);
      ends.push(made.end);
      return made.wire;
    }
    if (Array.isArray(arg) && arg.some((a) => a instanceof EndRequest)) return { kind: 'list', items: arg.map(one) };
    return { kind: 'value', data: out.values.encode(arg) };
  };
  const endThere = (request: EndRequest): { readonly wire: ArgWire; readonly end: SpawnedEnd } => {
    const state = out.there(request);
    if (state !== undefined) return out.endThere(state, request.side);
    const routed = out.routed(request);
    if (routed === undefined) throw new TypeError(`an end of a channel that lives in no station this one reaches cannot be given to a process it spawns`);
    return routed;
  };
  return { wire: args.map(one), ends };
}

/** What turning wire arguments back into arguments needs of the receiving side. */
export interface ArgsIn {
  readonly values: Codec<unknown>;
  /** A proxy for an end the spawner holds for this process. */
  proxy(arg: Extract<ArgWire, { kind: 'proxy' }>): unknown;
  /** The core end the spawner opened here as `end`. */
  opened(end: number): unknown;
  /** A proxy adopting the placeholder the spawner opened at a third station. */
  routed(arg: Extract<ArgWire, { kind: 'routed' }>): unknown;
}

/** The third stations that `wire` names ends at (routed arguments): the receiver must reach each. */
export function routesOf(wire: readonly ArgWire[]): Set<string> {
  const via = new Set<string>();
  const one = (arg: ArgWire): void => {
    if (arg.kind === 'routed') via.add(arg.via);
    else if (arg.kind === 'list') arg.items.forEach(one);
  };
  wire.forEach(one);
  return via;
}

/** The arguments for the process. Throws when one cannot be made (an unknown codec, a refused end). */
export function argsIn(wire: readonly ArgWire[], into: ArgsIn): unknown[] {
  const one = (arg: ArgWire): unknown => {
    switch (arg.kind) {
      case 'value':
        return into.values.decode(arg.data);
      case 'proxy':
        return into.proxy(arg);
      case 'home-end':
        return into.opened(arg.end);
      case 'routed':
        return into.routed(arg);
      case 'list':
        return arg.items.map(one);
    }
  };
  return wire.map(one);
}
