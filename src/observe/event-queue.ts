/**
 * A bounded queue of events read as an async iterable (what `handle.events()` returns).
 *
 * A consumer slower than the run never makes it wait and never makes memory grow without bound:
 * past `limit` queued events the oldest are let go, and the consumer is told how many with one
 * `events:lost` event where they were. Ends once closed and drained; `return()` (a `break` out of
 * `for await`) ends it at once and calls `onStop`.
 *
 * Invariants: queued.length <= limit; at most one `next()` is waiting at a time per caller turn
 * (a waiting `next()` is served before anything is queued).
 */
import type { CspflowEvent } from './events.js';

export class EventQueue implements AsyncIterableIterator<CspflowEvent> {
  private readonly queued: CspflowEvent[] = [];
  private readonly waiters: ((result: IteratorResult<CspflowEvent>) => void)[] = [];
  private lost = 0;
  private closed = false;
  /** Called once, when the queue closes. */
  onStop: () => void = () => {};

  constructor(private readonly limit: number) {}

  push(event: CspflowEvent): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter({ done: false, value: event });
      return;
    }
    if (this.queued.length >= this.limit) {
      this.queued.shift();
      this.lost++;
    }
    this.queued.push(event);
  }

  /** No more events will come; what is queued is still delivered. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters.splice(0)) w({ done: true, value: undefined });
    this.onStop();
  }

  next(): Promise<IteratorResult<CspflowEvent>> {
    if (this.lost > 0) {
      const count = this.lost;
      this.lost = 0;
      return Promise.resolve({ done: false, value: { type: 'events:lost', count } });
    }
    const event = this.queued.shift();
    if (event !== undefined) return Promise.resolve({ done: false, value: event });
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<CspflowEvent>> {
    this.queued.length = 0;
    this.lost = 0;
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<CspflowEvent> {
    return this;
  }
}
