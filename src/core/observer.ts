/**
 * The one seam through which the core tells an observer what happens: processes starting and
 * ending, channels made, retired and poisoned, operations blocking and resuming, values read and
 * dropped. `Runtime.observer` is null unless something observes (src/observe), and every call
 * site is a single null check, so nobody pays for what nobody watches.
 *
 * Invariants:
 * - a channel counts (has `stats`) iff an observer was present when it was made; the hooks of plain
 *   reads and writes (blocked, resumed) fire only on such a channel, an alt's whenever an observer is there;
 * - `processEnded` fires before the process lets go of its ends (the observer can still see them).
 */
import type { PoisonError } from './errors.js';
import type { Blocking, ProcessRecord, WatchedChannel } from './process-record.js';

/** Counters a channel keeps while observed. written = read + buffered + dropped, so it is not kept. */
export interface ChannelStats {
  /** Values taken by readers. */
  read: number;
  /** Values a dropping or sliding buffer threw away, and values poison or retirement discarded. */
  dropped: number;
}

/** A channel as an observer reads it (the core channel, seen through what it exposes). */
export interface ObservedChannel extends WatchedChannel {
  readonly buffer: { readonly size: number; readonly capacity: number } | null;
  readonly overflow: 'wait' | 'drop-newest' | 'drop-oldest';
  readonly takers: { readonly length: number };
  readonly putters: { readonly length: number };
  readonly readersRetired: boolean;
  readonly writersRetired: boolean;
  readonly poisoned: PoisonError | null;
  readonly stats: ChannelStats | null;
}

export interface RuntimeObserver {
  /** A channel was made; the observer returns the counters it will keep. */
  channelCreated(channel: ObservedChannel): ChannelStats;
  channelRetired(channel: ObservedChannel, side: 'reader' | 'writer'): void;
  channelPoisoned(channel: ObservedChannel, error: PoisonError): void;
  /** Called before the body runs (channels it makes while starting are its own). */
  processStarted(process: ProcessRecord): void;
  /** `error` is undefined when the body returned normally. */
  processEnded(process: ProcessRecord, error: unknown): void;
  /** An operation waits (a plain read or write on a counting channel, or an alt). */
  blocked(operation: Blocking, process: ProcessRecord | null): void;
  /** A waiting operation completes or fails; also called for an alt that committed without waiting. */
  resumed(operation: Blocking, process: ProcessRecord | null): void;
}
