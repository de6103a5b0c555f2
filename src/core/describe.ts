/**
 * Channels, ends and processes in words, for `util.inspect` (and so `console.log`) and for the
 * exit report: `Channel<"xs" fixed(4): 2 buffered, 1 reader waiting, open (ends: 1 reader, 1 writer)>`,
 * `Reader<"xs" open, held by "square">`.
 *
 * Node finds a custom inspection under `Symbol.for('nodejs.util.inspect.custom')`; using the
 * registered symbol keeps the core free of any Node import.
 *
 * The views below are structural, so this file depends on no channel or end class (they use it).
 */
import type { Overflow } from './buffer.js';
import type { Site } from './errors.js';
import type { Blocking, ProcessRecord } from './process-record.js';

/** The key under which Node's util.inspect looks for a custom description. */
export const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** A channel as its description needs it (ChannelCore is one). */
export interface ChannelView {
  readonly name: string;
  readonly buffer: { readonly size: number; readonly capacity: number } | null;
  readonly overflow: Overflow;
  readonly takers: { readonly length: number };
  readonly putters: { readonly length: number };
  readonly readers: number;
  readonly writers: number;
  readonly writersRetired: boolean;
  readonly readersRetired: boolean;
  readonly poisoned: { readonly origin: Site } | null;
}

/** An end as its description needs it (End is one). */
export interface EndView {
  readonly side: 'reader' | 'writer';
  readonly state: number;
  readonly channelName: string;
  readonly holders: readonly ProcessRecord[];
  waits(): Iterable<Blocking>;
}

export function describeChannel(c: ChannelView): string {
  const kind = c.buffer === null ? 'rendezvous' : `${c.overflow === 'wait' ? 'fixed' : c.overflow === 'drop-newest' ? 'dropping' : 'sliding'}(${c.buffer.capacity})`;
  const facts: string[] = [];
  if (c.buffer !== null) facts.push(`${c.buffer.size} buffered`);
  if (c.takers.length > 0) facts.push(count(c.takers.length, 'reader') + ' waiting');
  if (c.putters.length > 0) facts.push(count(c.putters.length, 'writer') + ' waiting');
  facts.push(channelState(c));
  // A poisoned channel keeps no count of its ends: they all failed with it.
  const ends = c.poisoned === null ? ` (ends: ${count(c.readers, 'reader')}, ${count(c.writers, 'writer')})` : '';
  return `Channel<${JSON.stringify(c.name)} ${kind}: ${facts.join(', ')}${ends}>`;
}

function channelState(c: ChannelView): string {
  if (c.poisoned !== null) return c.poisoned.origin.process === undefined ? 'poisoned' : `poisoned by "${c.poisoned.origin.process}"`;
  if (c.writersRetired && c.readersRetired) return 'retired';
  if (c.writersRetired) return c.buffer !== null && c.buffer.size > 0 ? 'writers retired, draining' : 'writers retired (end of stream)';
  if (c.readersRetired) return 'readers retired';
  return 'open';
}

/** End states, as ends.ts numbers them (OPEN, RETIRED, POISONED). */
const STATES = ['open', 'retired', 'poisoned'];

export function describeEnd(e: EndView): string {
  const facts = [STATES[e.state] ?? 'unknown'];
  if (e.state === 0) {
    facts.push(`held by ${holdersText(e.holders)}`);
    let waiting = 0;
    for (const _ of e.waits()) waiting++;
    if (waiting > 0) facts.push(`${waiting} ${e.side === 'reader' ? 'read' : 'write'}${waiting === 1 ? '' : 's'} waiting`);
  }
  return `${e.side === 'reader' ? 'Reader' : 'Writer'}<${JSON.stringify(e.channelName)} ${facts.join(', ')}>`;
}

/** `"square"`, `"a", "b"`, or `the main program` (an end no process holds). */
export function holdersText(holders: readonly ProcessRecord[]): string {
  const named = holders.filter((h) => !h.keeper);
  if (named.length === 0) return holders.length === 0 ? 'the main program' : 'a seq (for its processes still to run)';
  return named.map((h) => JSON.stringify(h.name)).join(', ');
}

/** `read of "xs"`, `alt over "a", "b"`. */
export function describeWait(op: Blocking): string {
  const channels = op.channelsBlocking().map((c) => JSON.stringify(c.name));
  return op.operation === 'alt' ? `alt over ${channels.join(', ')}` : `${op.operation} of ${channels.join(', ')}`;
}

/** What a running process does now, in words: `blocked on read of "xs"`, or `running`. */
export function describeRecord(record: ProcessRecord): string {
  const waits = record.waiting();
  return waits.length === 0 ? 'running' : `blocked on ${waits.map(describeWait).join(' and ')}`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
