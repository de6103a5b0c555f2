/**
 * The items of one task waiting on the main thread, and the feeder that cuts them into chunks and
 * writes them to the task's jobs channel. Items are cut when the channel has room — not when they
 * arrive — so each chunk is sized with the latest measurements (chunk-sizer.ts).
 *
 * Invariants:
 * - segments[head..] hold every item queued and not yet sent, in arrival order;
 * - `queued` = the items in those segments from `from` on, minus the withdrawn ones;
 * - chunk ids are given in the order chunks are written, so each farm worker reads them increasing.
 */
import type { Writer } from '../core/ends.js';
import { ChunkSizer } from './chunk-sizer.js';
import type { JobChunk } from './messages.js';
import type { Enqueued, Sink } from './requester.js';

/** Items of one sink, as queued. */
export class Segment implements Enqueued {
  /** The next position to send. */
  from = 0;
  /** Positions withdrawn before they were sent. */
  skipped: Set<number> | null = null;

  constructor(
    readonly sink: Sink,
    readonly items: readonly unknown[],
    readonly spread: 0 | 1,
    readonly chunk: number | undefined,
    private readonly queue: TaskQueue,
  ) {}

  withdraw(pos: number): boolean {
    if (pos < this.from || this.queue.stopped) return false;
    (this.skipped ??= new Set()).add(pos);
    this.queue.withdrawn(1);
    return true;
  }

  /** Items not yet sent nor withdrawn. */
  remaining(): number {
    let n = this.items.length - this.from;
    if (this.skipped !== null) for (const p of this.skipped) if (p >= this.from) n--;
    return n;
  }
}

/** A chunk sent and not fully answered: which sink and positions its items stand for. */
export interface SentChunk {
  readonly task: TaskQueue;
  readonly sink: Sink;
  /** The sink position of chunk position 0, when the chunk's positions are consecutive. */
  readonly base: number;
  /** The sink position of each chunk position, when they are not. */
  readonly positions: readonly number[] | null;
  readonly n: number;
  left: number;
}

/** What the queue tells the dispatcher. */
export interface QueueOwner {
  /** Registers a chunk about to be written; returns its id. */
  register(chunk: Omit<SentChunk, 'left'>): number;
  /** `n` queued items will never be sent (withdrawn, or their sink died). */
  unsent(n: number): void;
}

export class TaskQueue {
  private segments: Segment[] = [];
  private head = 0;
  queued = 0;
  stopped = false;
  private wake: (() => void) | null = null;
  readonly sizer = new ChunkSizer();

  constructor(
    readonly task: string,
    /** Farm workers of the task (set before the pool starts; see Dispatcher.resize). */
    public workers: number,
    private readonly owner: QueueOwner,
  ) {}

  push(sink: Sink, items: readonly unknown[], spread: 0 | 1, chunk: number | undefined): Segment {
    const segment = new Segment(sink, items, spread, chunk, this);
    this.segments.push(segment);
    this.queued += items.length;
    this.wake?.();
    return segment;
  }

  withdrawn(n: number): void {
    this.queued -= n;
    this.owner.unsent(n);
  }

  /** Drops what `sink` has queued (it died). */
  drop(sink: Sink): void {
    for (let i = this.head; i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      if (s.sink !== sink) continue;
      const n = s.remaining();
      s.from = s.items.length;
      this.withdrawn(n);
    }
  }

  /** The next chunk to write, or null when nothing is queued. */
  carve(): JobChunk | null {
    while (this.head < this.segments.length) {
      const seg = this.segments[this.head] as Segment;
      const left = seg.items.length - seg.from;
      if (left <= 0) {
        this.advance();
        continue;
      }
      const n = Math.min(seg.chunk ?? this.sizer.size(this.queued, this.workers), left);
      const from = seg.from;
      seg.from += n;
      if (seg.skipped === null) {
        this.queued -= n;
        const xs = from === 0 && n === seg.items.length ? seg.items : seg.items.slice(from, from + n);
        const c = this.owner.register({ task: this, sink: seg.sink, base: from, positions: null, n });
        return seg.sink.sharedBy === undefined ? { c, s: seg.spread, xs } : { c, s: seg.spread, xs, o: seg.sink.sharedBy };
      }
      const positions: number[] = [];
      const xs: unknown[] = [];
      for (let p = from; p < from + n; p++) {
        if (seg.skipped.has(p)) continue;
        positions.push(p);
        xs.push(seg.items[p]);
      }
      this.queued -= xs.length;
      if (xs.length === 0) continue;
      const c = this.owner.register({ task: this, sink: seg.sink, base: 0, positions, n: xs.length });
      return seg.sink.sharedBy === undefined ? { c, s: seg.spread, xs } : { c, s: seg.spread, xs, o: seg.sink.sharedBy };
    }
    return null;
  }

  private advance(): void {
    this.head++;
    if (this.head === this.segments.length) {
      this.segments = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.segments.length) {
      this.segments = this.segments.slice(this.head);
      this.head = 0;
    }
  }

  /** Writes chunks to `jobs` as it takes them, until stopped. Rejects if a write fails. */
  async feed(jobs: Writer<JobChunk>): Promise<void> {
    while (!this.stopped) {
      const chunk = this.carve();
      if (chunk !== null) {
        await jobs.write(chunk);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}
