/**
 * Nested submissions of a farm worker's own task stay where they were made, work-first, as in
 * SCOOP's and Java's fork/join pools: they wait in this farm worker's own queue, which it runs
 * newest first, and it shares the oldest (the largest subtrees, in a recursion) with the task's
 * other farm workers through the driver, keeping at most `budget` of its items out at a time. A
 * recursive task such as fib(n) then costs a message per shared subtree, not two per call, and
 * the other farm workers still get work: each time a shared item settles, another is shared.
 *
 * Items shared out may come back to this very farm worker (its chunk then names it as the
 * origin): those no longer count as out, so the next ones are shared instead.
 *
 * An item run here gets copies of its arguments and gives a copy of its result (through the
 * codec, as if it had travelled), so where a nested item runs never changes what it sees; a
 * thrown error comes back rebuilt, as from another worker.
 *
 * Invariants:
 * - `queue[head..]` holds every item not yet run, shared or withdrawn, and maybe some taken ones
 *   (skipped lazily); `size` counts the former;
 * - out = items shared and not settled, minus those read back here and not yet done; 0 <= out.
 */
import { msgpackCodec } from '../codec/msgpack.js';
import type { Enqueued, Requester, Sink } from './requester.js';
import type { ErrorRecord } from './task-error.js';
import type { WorkerRequester } from './worker-requester.js';

/** An item of this farm worker's own queue. */
export interface LocalItem {
  readonly input: unknown;
  readonly spread: 0 | 1;
  readonly sink: Sink;
  readonly pos: number;
  queued: boolean;
}

const codec = msgpackCodec<unknown>();

/** `value` as it would arrive from another worker: primitives as they are, the rest through the codec. */
export function travelled<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  return codec.decode(codec.encode(value)) as T;
}

/** Where the outcomes of shared items come back: to each item's own sink. */
class Shared implements Sink {
  readonly dead = false;
  constructor(
    private readonly items: readonly LocalItem[],
    private readonly settled: (n: number) => void,
  ) {}

  values(from: number, values: readonly unknown[]): void {
    for (let k = 0; k < values.length; k++) {
      const item = this.items[from + k] as LocalItem;
      item.sink.value(item.pos, values[k]);
    }
    this.settled(values.length);
  }

  value(pos: number, value: unknown): void {
    const item = this.items[pos] as LocalItem;
    item.sink.value(item.pos, value);
    this.settled(1);
  }

  failed(pos: number, error: ErrorRecord): void {
    const item = this.items[pos] as LocalItem;
    item.sink.failed(item.pos, error);
    this.settled(1);
  }

  cancelled(pos: number): void {
    const item = this.items[pos] as LocalItem;
    item.sink.cancelled(item.pos);
    this.settled(1);
  }
}

export class LocalFirst implements Requester {
  private queue: LocalItem[] = [];
  private head = 0;
  size = 0;
  private out = 0;

  /**
   * @param own the task this farm worker runs (only its submissions can run here)
   * @param budget items of this queue out with other farm workers at once, at most (0: never share)
   * @param changed told when items were queued or the queue emptied (the farm worker runs them)
   */
  constructor(
    private readonly own: string,
    private readonly budget: number,
    private readonly remote: WorkerRequester,
    private readonly changed: () => void,
  ) {}

  get tasks(): readonly string[] {
    return this.remote.tasks;
  }

  enqueue(task: string, items: readonly unknown[], spread: 0 | 1, sink: Sink, chunk: number | undefined): Enqueued {
    if (task !== this.own || chunk !== undefined) return this.remote.enqueue(task, items, spread, sink, chunk);
    const batch: LocalItem[] = items.map((input, pos) => ({ input, spread, sink, pos, queued: true }));
    for (const item of batch) this.queue.push(item);
    this.size += batch.length;
    this.share();
    this.changed();
    return {
      withdraw: (pos) => {
        const item = batch[pos];
        if (item === undefined || !item.queued) return false;
        item.queued = false;
        if (--this.size === 0) this.changed();
        return true;
      },
    };
  }

  drop(sink: Sink): void {
    this.remote.drop(sink);
  }

  /** The newest item not yet run, taken to run here; null when none. */
  take(): LocalItem | null {
    while (this.queue.length > this.head) {
      const item = this.queue.pop() as LocalItem;
      if (!item.queued) continue;
      item.queued = false;
      this.size--;
      this.compact();
      return item;
    }
    this.compact();
    return null;
  }

  /** `n` items shared by this farm worker were read back by it. */
  cameBack(n: number): void {
    this.out -= n;
    this.share();
  }

  /** `n` items read back earlier are done (their outcomes are on their way). */
  backDone(n: number): void {
    this.out += n;
  }

  /** Shares the oldest items while fewer than `budget` are out. */
  private share(): void {
    if (this.out >= this.budget || this.size === 0) return;
    const items: LocalItem[] = [];
    while (this.out + items.length < this.budget && this.head < this.queue.length) {
      const item = this.queue[this.head++] as LocalItem;
      if (!item.queued) continue;
      item.queued = false;
      items.push(item);
    }
    this.compact();
    if (items.length === 0) return;
    this.size -= items.length;
    this.out += items.length;
    const spread = items.every((item) => item.spread === 0) ? 0 : 1;
    const inputs = items.map((item) => (spread === item.spread ? item.input : [item.input]));
    this.remote.share(this.own, inputs, spread, new Shared(items, this.settled));
    if (this.size === 0) this.changed();
  }

  private readonly settled = (n: number): void => {
    this.out -= n;
    this.share();
  };

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
