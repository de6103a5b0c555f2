/**
 * `chan<T>(options)`: make a channel, then hand out its typed ends.
 */
import { toBufferSpec, type BufferSpec } from './buffer.js';
import { ChannelCore, DEFAULT_MAX_PENDING } from './channel-core.js';
import { describeChannel, inspectCustom } from './describe.js';
import { ReaderEnd, WriterEnd, type Reader, type Writer } from './ends.js';
import { ProcessRecord } from './process-record.js';
import { currentRuntime, Runtime } from './runtime.js';
import { realScheduler } from './scheduler.js';
import { checkInteger, checkOptions, INVALID_ARGUMENT, invalidArgument } from './validate.js';
import { Waiter } from './waiter.js';

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

const OPTIONS = ['buffer', 'name', 'maxPending'] as const;

export function chan<T>(options: ChannelOptions = {}): Channel<T> {
  checkOptions('chan(options)', 'options', options, OPTIONS);
  return channelOver(channelCore<T>(options));
}

/**
 * Validates `options` and makes the channel's core in the current runtime. Shared by `chan()` and
 * by transports that home channels for other threads or hosts, so a channel made either way
 * accepts exactly the same options.
 */
export function channelCore<T>(options: ChannelOptions): ChannelCore<T> {
  const runtime = currentRuntime();
  const { spec, maxPending } = checkChannelOptions(options);
  return new ChannelCore<T>(options.name ?? runtime.nextChannelNumber(), spec, maxPending, runtime);
}

/**
 * `options` checked (a TypeError or RangeError naming the bad one) and normalised: the buffer
 * spec (null: rendezvous) and the pending cap. Unknown keys are the caller's to refuse.
 */
export function checkChannelOptions(options: ChannelOptions): { readonly spec: BufferSpec | null; readonly maxPending: number } {
  const spec = toBufferSpec(options.buffer);
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  checkInteger('chan(options)', 'options.maxPending', maxPending, 1);
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw invalidArgument('type', 'chan(options)', 'options.name', name, 'a non-empty string (or left out for chan1, chan2, …)');
  }
  return { spec, maxPending };
}

/** The Channel handing out core ends of `core`. */
export function channelOver<T>(core: ChannelCore<T>): Channel<T> {
  return new LocalChannel(core);
}

/** One field and methods on the prototype: a network may hold 100,000 channels. */
class LocalChannel<T> implements Channel<T> {
  constructor(private readonly core: ChannelCore<T>) {}

  get name(): string {
    return this.core.name;
  }

  reader(): Reader<T> {
    return new ReaderEnd(sameRuntime(this.core, 'reader'));
  }

  writer(): Writer<T> {
    return new WriterEnd(sameRuntime(this.core, 'writer'));
  }

  [inspectCustom](): string {
    return describeChannel(this.core);
  }
}

/**
 * `core`, if it belongs to the runtime in force. An end made while another runtime is in force
 * (the channel made before useScheduler or runScheduled switched schedulers) would let the code
 * of that run operate on a channel its scheduler does not control: a scheduled run would explore
 * nothing and pass. Refused here, where it is cheap; operations themselves are not checked.
 */
function sameRuntime<T>(core: ChannelCore<T>, side: 'reader' | 'writer'): ChannelCore<T> {
  if (core.runtime === currentRuntime()) return core;
  const error = new TypeError(
    `channel.${side}(): channel "${core.name}" was made under another scheduler than the one in force, so its operations would bypass it. ` +
      'A channel made outside the runScheduled callback (or before useScheduler) is not controlled by its scheduler: make the channels inside the callback.',
  );
  throw Object.assign(error, { code: INVALID_ARGUMENT, parameter: 'channel' } as const);
}

/**
 * One object of each class on the path of a communication, alive as long as the program. V8 builds
 * these classes' hidden classes field by field, each step reachable from the one before only
 * weakly: once no object of a class is left (every channel of a run dropped), a full GC frees
 * them, every optimized function that inlined an operation on them is thrown away, and the next
 * network makes new ones and is optimized again. A program that builds a network, drops it and
 * builds the next (a job runner, a test suite, a benchmark collecting between runs) paid that
 * after every full GC. Made on a runtime of their own, which nothing else ever sees.
 */
export const KEPT_SHAPES: readonly object[] = keepShapes();

function keepShapes(): readonly object[] {
  const runtime = new Runtime(realScheduler);
  const core = new ChannelCore<unknown>('kept-shapes', null, DEFAULT_MAX_PENDING, runtime);
  const reader = new ReaderEnd(core);
  // Buffered, with a pending cap of its own: its ring and its rarely used state are kept too.
  const buffered = new ChannelCore<unknown>('kept-shapes', toBufferSpec(1), 2, runtime);
  return Object.freeze([channelOver(core), reader, new WriterEnd(core), new Waiter(undefined, null, 0, reader), new ProcessRecord('kept-shapes'), buffered]);
}
