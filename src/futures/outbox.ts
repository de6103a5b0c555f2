/**
 * The outgoing messages of one writer: pushed at any time, written in order, those pushed during
 * one turn (or while the previous batch was being written) together as one `writeMany`.
 *
 * Invariants:
 * - at most one `writeMany` is in progress (`writing`), so messages are written in push order;
 * - after a failed write nothing more is written, and `failure` holds why.
 */
import type { Writer } from '../core/ends.js';

export class Outbox<T> {
  private queue: T[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  failure: unknown = null;

  constructor(
    private readonly writer: Writer<T>,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(message: T): void {
    if (this.failure !== null) return;
    this.queue.push(message);
    if (!this.scheduled && this.writing === null) {
      this.scheduled = true;
      queueMicrotask(this.start);
    }
  }

  private readonly start = (): void => {
    this.scheduled = false;
    if (this.writing === null && this.queue.length > 0) this.writing = this.pump();
  };

  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.writer.writeMany(batch);
      }
    } catch (error) {
      this.failure = error;
      this.queue = [];
      this.onError(error);
    } finally {
      this.writing = null;
    }
  }

  /** Resolves once everything pushed so far has been written (or a write failed). */
  async drained(): Promise<void> {
    while (this.failure === null && (this.scheduled || this.writing !== null || this.queue.length > 0)) {
      if (this.writing !== null) await this.writing;
      else await Promise.resolve();
    }
  }

  /** Drains, then retires the writer. */
  async close(): Promise<void> {
    await this.drained();
    this.writer.retire();
  }
}
