/**
 * `chan<T>(options)`: make a channel, then hand out its typed ends.
 */
import { toBufferSpec, type BufferSpec } from './buffer.js';
import { ChannelCore, DEFAULT_MAX_PENDING } from './channel-core.js';
import { ReaderEnd, WriterEnd, type Reader, type Writer } from './ends.js';
import { currentRuntime } from './runtime.js';

export interface ChannelOptions {
  /** Absent or 0: rendezvous (default). A number n: fixed(n). Or fixed(n), dropping(n), sliding(n). */
  readonly buffer?: number | BufferSpec;
  /** Used in errors, traces and deadlock reports. Default: `chan<N>`. */
  readonly name?: string;
  /** Cap on waiting reads (and, separately, writes); past it an operation fails with PendingLimitError. Default 1024. */
  readonly maxPending?: number;
}

/** A channel: any number of readers and writers; ends are made with reader() and writer(). */
export interface Channel<T> {
  readonly name: string;
  /** A new reading end; each counts for retirement. Throws RetiredError if every reader has already retired. */
  reader(): Reader<T>;
  /** A new writing end; each counts for retirement. Throws RetiredError if every writer has already retired. */
  writer(): Writer<T>;
}

export function chan<T>(options: ChannelOptions = {}): Channel<T> {
  return channelOver(channelCore<T>(options));
}

/**
 * Validates `options` (throws RangeError naming the bad one) and makes the channel's core in the
 * current runtime. Shared by `chan()` and by transports that home channels for other threads or
 * hosts, so a channel made either way accepts exactly the same options.
 */
export function channelCore<T>(options: ChannelOptions): ChannelCore<T> {
  const runtime = currentRuntime();
  const { spec, maxPending } = checkChannelOptions(options);
  return new ChannelCore<T>(options.name ?? runtime.nextChannelName(), spec, maxPending, runtime);
}

/** `options` checked (RangeError naming the bad one) and normalised: the buffer spec (null: rendezvous) and the pending cap. */
export function checkChannelOptions(options: ChannelOptions): { readonly spec: BufferSpec | null; readonly maxPending: number } {
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  if (!Number.isInteger(maxPending) || maxPending < 1) throw new RangeError(`chan: maxPending must be an integer >= 1, got ${maxPending}`);
  return { spec: toBufferSpec(options.buffer), maxPending };
}

/** The Channel handing out core ends of `core`. */
export function channelOver<T>(core: ChannelCore<T>): Channel<T> {
  return {
    name: core.name,
    reader: () => new ReaderEnd(core),
    writer: () => new WriterEnd(core),
  };
}
