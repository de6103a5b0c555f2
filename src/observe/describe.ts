/**
 * Plain-data descriptions of core objects for events, snapshots and pictures: a channel's kind
 * and capacity, an error as a summary, the channels a process holds ends of.
 */
import type { BufferSpec } from '../core/buffer.js';
import type { ChannelStats, ObservedChannel } from '../core/observer.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { ChannelKind, ErrorSummary, ProcessEnding } from './events.js';

/** The kind of a core channel. */
export function kindOf(channel: ObservedChannel): ChannelKind {
  if (channel.buffer === null) return 'rendezvous';
  return channel.overflow === 'wait' ? 'fixed' : channel.overflow === 'drop-newest' ? 'dropping' : 'sliding';
}

/** The kind and capacity a channel is declared with (`buffer` as chan() takes it). */
export function declaredKind(buffer: number | BufferSpec | undefined): { readonly kind: ChannelKind; readonly capacity: number } {
  if (buffer === undefined) return { kind: 'rendezvous', capacity: 0 };
  if (typeof buffer === 'number') return buffer === 0 ? { kind: 'rendezvous', capacity: 0 } : { kind: 'fixed', capacity: buffer };
  return buffer.capacity === 0 ? { kind: 'rendezvous', capacity: 0 } : { kind: buffer.kind, capacity: buffer.capacity };
}

/** "fixed(16)", "rendezvous", "sliding(4)". */
export function kindText(kind: ChannelKind, capacity: number): string {
  return kind === 'rendezvous' ? 'rendezvous' : `${kind}(${capacity})`;
}

/** Values written so far: every value read, still buffered, or dropped was written once. */
export function writtenOf(stats: ChannelStats, channel: ObservedChannel): number {
  return stats.read + (channel.buffer?.size ?? 0) + stats.dropped;
}

export function summarize(error: unknown): ErrorSummary {
  if (!(error instanceof Error)) return { name: 'Error', message: safeString(error) };
  const code = (error as { code?: unknown }).code;
  const process = (error as { process?: unknown }).process;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof process === 'string' ? { process } : {}),
  };
}

/** How a process ended, from what its body settled with (undefined: it returned). */
export function endingOf(error: unknown): ProcessEnding {
  if (error === undefined) return 'done';
  const name = error instanceof Error ? error.name : '';
  return name === 'RetiredError' ? 'retired' : name === 'PoisonError' ? 'poisoned' : 'failed';
}

/** A poison reason as text. */
export function reasonText(reason: unknown): string {
  if (reason === undefined) return '';
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return safeString(reason);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** An end as the core makes it: it knows its channel and side (a transport's proxy does not). */
interface CoreEnd {
  readonly core: ObservedChannel;
  readonly side: 'reader' | 'writer';
  readonly alive: boolean;
}

function isCoreEnd(end: unknown): end is CoreEnd {
  return typeof end === 'object' && end !== null && 'core' in end && 'side' in end;
}

/** The channels living in this thread that `process` holds ends of, with the side it holds. */
export function endsOf(process: ProcessRecord): { readonly channel: ObservedChannel; readonly side: 'reader' | 'writer' }[] {
  const out: { channel: ObservedChannel; side: 'reader' | 'writer' }[] = [];
  for (const end of process.ends) if (isCoreEnd(end)) out.push({ channel: end.core, side: end.side });
  return out;
}

/** The processes holding live ends of `channel` on `side` (keepers aside). */
export function holdersOf(channel: ObservedChannel, side: 'reader' | 'writer'): ProcessRecord[] {
  const out: ProcessRecord[] = [];
  for (const end of channel.liveEnds()) {
    if (!isCoreEnd(end) || end.side !== side) continue;
    for (const h of end.holders) if (!h.keeper && !out.includes(h)) out.push(h);
  }
  return out;
}
