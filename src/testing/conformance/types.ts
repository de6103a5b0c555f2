/**
 * The seam between the conformance suite and a transport under test, and the buffer kinds every
 * case is run over (Kotlin's TestChannelKind).
 */
import { dropping, fixed, sliding, type BufferSpec, type Channel, type ChannelOptions } from '../../index.js';

/** What the suite needs of a transport: a way to make channels, and a way to let things land. */
export interface ConformanceTransport {
  readonly name: string;
  /**
   * True when try-operations and making ends answer from the channel itself (in-process: C7 and
   * R4 exactly). False when they answer from what the end knows (a proxy of a channel living
   * elsewhere, rule C7r): a try may fail for want of knowing, never succeed wrongly, and what
   * has happened is known after `settle()`. The try cases check whichever rule applies.
   */
  readonly exactTry: boolean;
  /** Make a channel of this transport (the ends may be proxies of a channel living elsewhere). */
  chan<T>(options?: ChannelOptions): Channel<T>;
  /**
   * Resolves once every operation already started has reached its channel and every completion
   * already due has been delivered (local: flush microtasks + one macrotask).
   */
  settle(): Promise<void>;
  dispose?(): Promise<void>;
}

/** One check of docs/semantics.md against one buffer kind; throws a descriptive Error on failure. */
export interface ConformanceCase {
  readonly name: string;
  run(t: ConformanceTransport): Promise<void>;
}

/** A buffer kind the cases are parametrised over. */
export interface BufferKind {
  /** `rendezvous`, `fixed(1)`, `dropping(4)`, … — part of every case name. */
  readonly name: string;
  /** What to pass as `chan({ buffer })`; undefined for rendezvous. */
  readonly buffer: BufferSpec | undefined;
  /** 0 for rendezvous. */
  readonly capacity: number;
  /** What a write does when the buffer is full (rendezvous: waits). */
  readonly overflow: 'wait' | 'drop-newest' | 'drop-oldest';
}

/** The kind of a buffer spec (undefined: rendezvous). */
export function bufferKind(buffer?: BufferSpec): BufferKind {
  if (buffer === undefined || buffer.capacity === 0) return { name: 'rendezvous', buffer: undefined, capacity: 0, overflow: 'wait' };
  const overflow = buffer.kind === 'fixed' ? 'wait' : buffer.kind === 'dropping' ? 'drop-newest' : 'drop-oldest';
  return { name: `${buffer.kind}(${buffer.capacity})`, buffer, capacity: buffer.capacity, overflow };
}

/** The default kinds: rendezvous, fixed(1), fixed(10), dropping(4), sliding(4). */
export const BUFFER_KINDS: readonly BufferKind[] = [
  bufferKind(),
  bufferKind(fixed(1)),
  bufferKind(fixed(10)),
  bufferKind(dropping(4)),
  bufferKind(sliding(4)),
];

/** Writes may wait on this kind (rendezvous or fixed), so nothing written is ever discarded. */
export function waits(kind: BufferKind): boolean {
  return kind.overflow === 'wait';
}
