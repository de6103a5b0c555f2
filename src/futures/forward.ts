/**
 * A nested batch on the main thread: tasks a task body submitted in farm worker `o` (its batch
 * `b`). The dispatcher queues them like any other items; their outcomes are gathered here and sent
 * back to that farm worker on its control channel, those of one turn in one message.
 *
 * Invariant: `left` = positions of the batch with no outcome yet; at 0 the batch is forgotten.
 */
import type { BatchOutcomes } from './messages.js';
import type { Sink } from './requester.js';
import type { ErrorRecord } from './task-error.js';

export class Forward implements Sink {
  dead = false;
  readonly sharedBy: number | undefined;
  private left: number;
  private positions: number[] = [];
  private vals: unknown[] = [];
  private errors: [number, ErrorRecord][] = [];
  private cancels: number[] = [];
  private queued = false;

  constructor(
    readonly o: number,
    readonly b: number,
    n: number,
    private readonly send: (message: BatchOutcomes) => void,
    private readonly forget: (forward: Forward) => void,
    shared: boolean,
  ) {
    this.left = n;
    this.sharedBy = shared ? o : undefined;
  }

  values(from: number, values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) {
      this.positions.push(from + i);
      this.vals.push(values[i]);
    }
    this.settled(values.length);
  }

  value(pos: number, value: unknown): void {
    this.positions.push(pos);
    this.vals.push(value);
    this.settled(1);
  }

  failed(pos: number, error: ErrorRecord): void {
    this.errors.push([pos, error]);
    this.settled(1);
  }

  cancelled(pos: number): void {
    this.cancels.push(pos);
    this.settled(1);
  }

  private settled(n: number): void {
    this.left -= n;
    if (this.left <= 0) this.forget(this);
    if (!this.queued) {
      this.queued = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.queued = false;
    if (this.positions.length === 0 && this.errors.length === 0 && this.cancels.length === 0) return;
    const p = this.positions;
    const consecutive = p.every((x, k) => x === (p[0] as number) + k);
    const message: BatchOutcomes = {
      k: 'r',
      b: this.b,
      i: consecutive && p.length > 0 ? (p[0] as number) : p,
      v: this.vals,
      ...(this.errors.length > 0 ? { e: this.errors } : {}),
      ...(this.cancels.length > 0 ? { x: this.cancels } : {}),
    };
    this.positions = [];
    this.vals = [];
    this.errors = [];
    this.cancels = [];
    this.send(message);
  };
}
