/**
 * One map over a task: pulls items from its source while fewer than `window` are in its hands,
 * hands them to the requester in parts, and gives the outcomes back — all at once in input order
 * (`array`), one by one in input order (`ordered`), or one by one as they finish (`unordered`).
 *
 * Invariants:
 * - pulled - consumed <= window: items taken from the source and not yet handed to the consumer
 *   (in `array` mode an outcome is handed over as it arrives) stay within the window;
 * - parts are in pull order, and part k holds positions [base, base + n) of the map;
 * - once `dead`, nothing more is pulled or delivered, and every unfinished part was dropped.
 */
import { abortError } from '../core/errors.js';
import { checkCarriable } from './check.js';
import { CancelledError, UnknownTaskError } from './errors.js';
import type { Requester, Sink } from './requester.js';
import type { Source } from './source.js';
import { fromRecord, type ErrorRecord } from './task-error.js';

export interface MapOptions {
  /** Items per message to a worker. Default: chosen per task from the measured cost (1 to 4,096). */
  readonly chunk?: number;
  /** Items taken from `items` and not yet returned, at most. Default 65,536. */
  readonly window?: number;
  /** 'stop' (default): the first failure rejects the map and cancels the rest; 'continue': a failure's error takes its item's place. */
  readonly onError?: 'stop' | 'continue';
  /** Aborting rejects the map with the signal's reason and cancels what has not started. */
  readonly signal?: AbortSignal;
}

const DEFAULT_WINDOW = 65_536;
/** Items taken from the source at once, at most (a part: the dispatcher cuts it into chunks). */
const PULL = 16_384;
const HOLE: unique symbol = Symbol('hole');

export type MapMode = 'array' | 'ordered' | 'unordered';

/** Positions [base, base + n) of a map, queued as one batch. */
class Part implements Sink {
  readonly vals: unknown[];
  left: number;
  /** `ordered`: the next position to hand over. */
  next = 0;

  constructor(
    private readonly call: MapCall<unknown>,
    readonly base: number,
    readonly n: number,
  ) {
    this.left = n;
    this.vals = call.mode === 'ordered' ? new Array<unknown>(n).fill(HOLE) : new Array<unknown>(n);
  }

  get dead(): boolean {
    return this.call.dead;
  }

  values(from: number, values: readonly unknown[]): void {
    if (this.call.dead) return;
    for (let k = 0; k < values.length; k++) this.vals[from + k] = values[k];
    this.left -= values.length;
    this.call.arrived(this, from, values.length);
  }

  value(pos: number, value: unknown): void {
    if (this.call.dead) return;
    this.vals[pos] = value;
    this.left--;
    this.call.arrived(this, pos, 1);
  }

  failed(pos: number, error: ErrorRecord): void {
    if (this.call.dead) return;
    this.call.failedAt(this, pos, fromRecord(error));
  }

  cancelled(pos: number): void {
    if (this.call.dead) return;
    this.call.failedAt(this, pos, new CancelledError(this.call.task));
  }
}

export class MapCall<R> implements AsyncIterable<R> {
  dead = false;
  private pulled = 0;
  private consumed = 0;
  private settled = 0;
  private sourceDone = false;
  private readonly parts: Part[] = [];
  /** `ordered`: index of the first part not fully handed over. */
  private head = 0;
  private ready: unknown[] = [];
  private readyAt = 0;
  private failure: { readonly error: unknown } | null = null;
  /** The failure has been thrown to the consumer (who then sees the end). */
  private failureThrown = false;
  private finished = false;
  private wakeConsumer: (() => void)[] = [];
  private wakePump: (() => void) | null = null;
  private readonly stop = new AbortController();
  private resolveArray: (values: R[]) => void = () => {};
  private rejectArray: (error: unknown) => void = () => {};
  /** `array` mode: the result. */
  readonly result: Promise<R[]> | null;
  private readonly window: number;

  constructor(
    private readonly requester: Requester,
    readonly task: string,
    private readonly source: Source<unknown>,
    private readonly options: MapOptions,
    readonly mode: MapMode,
    private readonly call: string,
    private readonly onEnd: () => void,
  ) {
    this.window = options.window ?? DEFAULT_WINDOW;
    this.result =
      mode === 'array'
        ? new Promise<R[]>((resolve, reject) => {
            this.resolveArray = resolve;
            this.rejectArray = reject;
          })
        : null;
    const signal = options.signal;
    if (signal?.aborted) {
      queueMicrotask(() => this.fail(abortError(signal)));
      return;
    }
    signal?.addEventListener('abort', this.aborted, { once: true });
    if (!requester.tasks.includes(task)) {
      queueMicrotask(() => this.fail(new UnknownTaskError(task, requester.tasks)));
      return;
    }
    void this.pump();
  }

  private readonly aborted = (): void => {
    this.fail(abortError(this.options.signal as AbortSignal));
  };

  private async pump(): Promise<void> {
    try {
      while (!this.dead) {
        const room = this.window - (this.pulled - this.consumed);
        // Refill in big parts (half the window), so the dispatcher has a full queue to cut
        // chunks from rather than trickles; with nothing in flight, take whatever fits.
        if (room <= 0 || (room < Math.min(PULL, Math.ceil(this.window / 2)) && this.pulled > this.consumed)) {
          await new Promise<void>((resolve) => {
            this.wakePump = resolve;
          });
          continue;
        }
        const items = await this.source.pull(Math.min(room, PULL), this.stop.signal);
        if (this.dead) return;
        if (items === null) break;
        for (let k = 0; k < items.length; k++) {
          const item = items[k];
          if (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol') checkCarriable(this.call, `items[${this.pulled + k}]`, item);
        }
        const part = new Part(this as MapCall<unknown>, this.pulled, items.length);
        this.parts.push(part);
        this.pulled += items.length;
        this.requester.enqueue(this.task, items, 0, part, this.options.chunk);
      }
      this.sourceDone = true;
      this.check();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Outcomes for `n` positions of `part` from `pos` are in `part.vals`. */
  arrived(part: Part, pos: number, n: number): void {
    this.settled += n;
    if (this.mode === 'array') this.handedOver(n);
    else if (this.mode === 'unordered') {
      for (let k = pos; k < pos + n; k++) this.ready.push(part.vals[k]);
      this.wake();
    } else if (part === this.parts[this.head]) this.advance();
    this.check();
  }

  /** The item at `pos` of `part` failed with `error`. */
  failedAt(part: Part, pos: number, error: unknown): void {
    if (this.options.onError !== 'continue') {
      this.fail(error);
      return;
    }
    part.value(pos, error);
  }

  /** `ordered`: moves every outcome that is next in input order to `ready`. */
  private advance(): void {
    while (this.head < this.parts.length) {
      const part = this.parts[this.head] as Part;
      while (part.next < part.n && part.vals[part.next] !== HOLE) {
        this.ready.push(part.vals[part.next]);
        part.vals[part.next++] = undefined;
      }
      if (part.next < part.n) break;
      this.head++;
    }
    this.wake();
  }

  private handedOver(n: number): void {
    this.consumed += n;
    const wake = this.wakePump;
    this.wakePump = null;
    wake?.();
  }

  private wake(): void {
    for (const w of this.wakeConsumer.splice(0)) w();
  }

  /** Finishes when the source is done and every item has its outcome. */
  private check(): void {
    if (this.dead || !this.sourceDone || this.settled < this.pulled) return;
    this.end();
    if (this.mode === 'array') {
      const out = new Array<R>(this.pulled);
      let i = 0;
      for (const part of this.parts) for (let k = 0; k < part.n; k++) out[i++] = part.vals[k] as R;
      this.resolveArray(out);
    }
    this.wake();
  }

  /** Ends the map with `error`: nothing more is pulled, queued items dropped, sent ones cancelled. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = { error };
    this.end();
    this.rejectArray(error);
    this.wake();
  }

  /** The consumer stopped early (`break` in `for await`). */
  private quit(): void {
    if (this.finished) return;
    this.end();
    this.wake();
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    const unfinished = this.parts.filter((p) => p.left > 0);
    this.dead = this.failure !== null || this.settled < this.pulled || !this.sourceDone;
    if (this.dead) {
      this.stop.abort();
      this.source.close();
      for (const part of unfinished) this.requester.drop(part);
    }
    const wake = this.wakePump;
    this.wakePump = null;
    wake?.();
    this.options.signal?.removeEventListener('abort', this.aborted);
    this.onEnd();
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    return {
      next: () => this.take(),
      return: async () => {
        this.quit();
        return { done: true, value: undefined };
      },
    };
  }

  private async take(): Promise<IteratorResult<R>> {
    for (;;) {
      if (this.failure !== null) {
        if (this.failureThrown) return { done: true, value: undefined };
        this.failureThrown = true;
        throw this.failure.error;
      }
      if (this.readyAt < this.ready.length) {
        const value = this.ready[this.readyAt++] as R;
        if (this.readyAt > 1024 && this.readyAt * 2 > this.ready.length) {
          this.ready = this.ready.slice(this.readyAt);
          this.readyAt = 0;
        }
        this.handedOver(1);
        return { done: false, value };
      }
      if (this.finished) return { done: true, value: undefined };
      await new Promise<void>((resolve) => this.wakeConsumer.push(resolve));
    }
  }
}
