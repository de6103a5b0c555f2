/**
 * A Link is one thread's side of a wire to another thread: frames sent during one turn of the
 * event loop leave together as one message (coalescing), and arriving frames are handed, in
 * order, to the home (requests on channels living here), the client (answers to this thread's
 * proxies) or the host (spawn / ended, for the runtime).
 *
 * Invariants:
 * - frames leave in the order `send` was called; a synchronous request first flushes the outbox,
 *   so it is ordered after everything sent before it;
 * - at most one flush is queued at a time (`flushQueued`).
 */
import type { Wire } from './node-threads.js';

/** A frame: `t` names its kind; the other fields depend on it (see home.ts and client.ts). */
export interface Frame {
  readonly t: string;
  readonly [field: string]: unknown;
}

export type FrameHandler = (frame: Frame) => void;

/** Values per gathered frame: big enough to amortise, small enough to pipeline with the reader. */
const MAX_GATHER = 8192;

const REPLIES = new Set(['ok', 'err', 'pong', 'term', 'g']);

/**
 * Values written on credit by one end, gathered while nothing else is sent: they leave as one
 * frame and one encoded buffer. `close` encodes them into the frame already in place in the outbox.
 */
export interface OpenBatch {
  readonly owner: unknown;
  readonly values: unknown[];
  close(): void;
}

export class Link {
  private out: Frame[] = [];
  private flushQueued = false;
  home: FrameHandler | null = null;
  client: FrameHandler | null = null;
  host: FrameHandler | null = null;
  private closed = false;
  private batch: OpenBatch | null = null;
  /** Batches that arrived while paused, in order. */
  private held: Frame[][] | null = null;

  /** `peer`: the thread id on the other side (0 for the main thread), for error messages. */
  constructor(
    readonly wire: Wire,
    readonly peer: number,
  ) {
    wire.onBatch((batch) => this.receive(batch as Frame[]));
  }

  send(frame: Frame): void {
    if (this.closed) return;
    this.closeBatch();
    this.out.push(frame);
    this.queueFlush();
  }

  /**
   * Adds values written on credit by `owner` to the frame being gathered, or starts a new one
   * (`open` makes the frame, placed now so it keeps its position among the frames sent).
   */
  gather(owner: unknown, values: readonly unknown[], open: (frame: Frame & { d?: unknown; n?: number }) => OpenBatch): void {
    if (this.closed) return;
    if (this.batch !== null && this.batch.owner === owner && this.batch.values.length < MAX_GATHER) {
      for (const v of values) this.batch.values.push(v);
      return;
    }
    this.closeBatch();
    const frame: Frame & { d?: unknown; n?: number } = { t: 'w', id: 0 };
    this.out.push(frame);
    this.batch = open(frame);
    for (const v of values) this.batch.values.push(v);
    this.queueFlush();
  }

  private closeBatch(): void {
    const batch = this.batch;
    if (batch === null) return;
    this.batch = null;
    batch.close();
  }

  private queueFlush(): void {
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.flushQueued = false;
    this.closeBatch();
    if (this.out.length === 0 || this.closed) return;
    const batch = this.out;
    this.out = [];
    this.wire.send(batch);
  };

  /** Sends `frame` after everything queued, and blocks this thread until the answer arrives. */
  request(frame: Frame): Frame {
    if (this.closed) throw new Error('the thread link is closed');
    this.closeBatch();
    const batch = this.out;
    this.out = [];
    batch.push(frame);
    return this.wire.request(batch) as Frame;
  }

  answer(reply: Frame): void {
    this.wire.answer(reply);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.wire.close();
  }

  /** Holds arriving frames (the thread is not ready to serve them yet). */
  pause(): void {
    this.held ??= [];
  }

  /** Serves the frames held while paused, in order, then whatever arrives. */
  resume(): void {
    const held = this.held;
    this.held = null;
    for (const batch of held ?? []) this.receive(batch);
  }

  private receive(batch: Frame[]): void {
    if (this.held !== null) {
      this.held.push(batch);
      return;
    }
    for (const frame of batch) {
      const handler = REPLIES.has(frame.t) ? this.client : frame.t === 'spawn' || frame.t === 'ended' || frame.t === 'log' ? this.host : this.home;
      if (handler === null) throw new Error(`thread link: no handler for a "${frame.t}" frame`);
      handler(frame);
    }
  }
}
