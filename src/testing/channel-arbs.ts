/**
 * Arbitraries of channel kinds (rendezvous and the three buffer policies) and of message
 * sequences, for properties that should hold "for every kind of channel".
 */
import type fc from 'fast-check';
import { fastCheck } from './fast-check.js';
import { dropping, fixed, sliding, type BufferSpec } from '../core/buffer.js';

/** A channel kind: what to pass as `chan({ buffer })`, and whether it can lose values. */
export interface ChannelKind {
  /** `rendezvous`, `fixed(2)`, `dropping(1)`, `sliding(3)`. */
  readonly label: string;
  /** undefined for rendezvous. */
  readonly buffer: BufferSpec | undefined;
  /** True for dropping and sliding buffers: a write never waits, and a value may be dropped. */
  readonly lossy: boolean;
}

export type ChannelKindName = 'rendezvous' | 'fixed' | 'dropping' | 'sliding';

export interface ChannelKindArbOptions {
  /** Which kinds to draw from. Default: the lossless ones, rendezvous and fixed. */
  readonly kinds?: readonly ChannelKindName[];
  /** Largest buffer capacity. Default 4. */
  readonly maxCapacity?: number;
}

export function channelKind(name: ChannelKindName, capacity = 1): ChannelKind {
  switch (name) {
    case 'rendezvous':
      return { label: 'rendezvous', buffer: undefined, lossy: false };
    case 'fixed':
      return { label: `fixed(${capacity})`, buffer: fixed(capacity), lossy: false };
    case 'dropping':
      return { label: `dropping(${capacity})`, buffer: dropping(capacity), lossy: true };
    case 'sliding':
      return { label: `sliding(${capacity})`, buffer: sliding(capacity), lossy: true };
  }
}

/** Channel kinds; lossless ones only unless `kinds` says otherwise. Shrinks towards rendezvous. */
export function channelKindArb(options: ChannelKindArbOptions = {}): fc.Arbitrary<ChannelKind> {
  const kinds = options.kinds ?? ['rendezvous', 'fixed'];
  const maxCapacity = options.maxCapacity ?? 4;
  const fc = fastCheck('channelKindArb()');
  return fc
    .tuple(fc.constantFrom(...kinds), fc.integer({ min: 1, max: maxCapacity }))
    .map(([name, capacity]) => channelKind(name, capacity));
}

/** Buffer specs alone (never rendezvous): `fixed(n)`, `dropping(n)`, `sliding(n)`. */
export function bufferSpecArb(options: { readonly lossy?: boolean; readonly maxCapacity?: number } = {}): fc.Arbitrary<BufferSpec> {
  const names: ChannelKindName[] = options.lossy === true ? ['fixed', 'dropping', 'sliding'] : ['fixed'];
  return channelKindArb({ kinds: names, maxCapacity: options.maxCapacity ?? 4 }).map((k) => k.buffer as BufferSpec);
}

/** A sequence of messages (integers by default). */
export function messagesArb<T = number>(item?: fc.Arbitrary<T>, options: { readonly maxLength?: number } = {}): fc.Arbitrary<T[]> {
  const fc = fastCheck('messagesArb()');
  const values = item ?? (fc.integer({ min: -1000, max: 1000 }) as unknown as fc.Arbitrary<T>);
  return fc.array(values, { maxLength: options.maxLength ?? 10 });
}

/** A message tagged with who wrote it and its position in that writer's sequence. */
export interface Tagged<T> {
  readonly writer: number;
  readonly seq: number;
  readonly value: T;
}

/** Messages for `writers` writers (1..maxWriters when not given), each tagged: for FIFO-per-writer checks. */
export function writerScriptsArb<T = number>(
  options: { readonly maxWriters?: number; readonly maxLength?: number; readonly item?: fc.Arbitrary<T> } = {},
): fc.Arbitrary<Tagged<T>[][]> {
  const fc = fastCheck('writerScriptsArb()');
  return fc
    .array(messagesArb(options.item, { maxLength: options.maxLength ?? 6 }), { minLength: 1, maxLength: options.maxWriters ?? 3 })
    .map((scripts) => scripts.map((values, writer) => values.map((value, seq) => ({ writer, seq, value }))));
}
