/**
 * The outcomes of one chunk in a farm worker, gathered until they are sent: those of one turn go
 * in one message; the message that completes the chunk says how long the chunk took.
 *
 * Invariants:
 * - left = positions of the chunk with no outcome yet (sent or gathered);
 * - `positions` is null while the gathered values are for consecutive positions from `first`.
 */
import type { ChunkOutcomes } from './messages.js';
import type { ErrorRecord } from './task-error.js';

/** A running item that can be told its chunk was cancelled. */
export interface Abortable {
  abort(reason: unknown): void;
}

export class ChunkReport {
  left: number;
  cancelled = false;
  /** Items of this chunk running asynchronously now. */
  readonly running = new Set<Abortable>();
  private first = 0;
  private positions: number[] | null = null;
  private vals: unknown[] = [];
  private errors: [number, ErrorRecord][] = [];
  private cancels: number[] = [];

  constructor(
    readonly c: number,
    readonly n: number,
    private readonly started: number,
    /** Its items were shared by this very farm worker (see local-first.ts). */
    readonly cameBack = false,
  ) {
    this.left = n;
  }

  ok(pos: number, value: unknown): void {
    if (this.positions !== null) this.positions.push(pos);
    else if (this.vals.length === 0) this.first = pos;
    else if (pos !== this.first + this.vals.length) {
      this.positions = Array.from({ length: this.vals.length }, (_, k) => this.first + k);
      this.positions.push(pos);
    }
    this.vals.push(value);
    this.left--;
  }

  fail(pos: number, error: ErrorRecord): void {
    this.errors.push([pos, error]);
    this.left--;
  }

  skip(pos: number): void {
    this.cancels.push(pos);
    this.left--;
  }

  /** What was gathered since the last take, as a message; null if nothing. */
  take(now: number): ChunkOutcomes | null {
    if (this.vals.length === 0 && this.errors.length === 0 && this.cancels.length === 0) return null;
    const message: ChunkOutcomes = {
      k: 'r',
      c: this.c,
      i: this.positions ?? this.first,
      v: this.vals,
      ...(this.errors.length > 0 ? { e: this.errors } : {}),
      ...(this.cancels.length > 0 ? { x: this.cancels } : {}),
      ...(this.left === 0 ? { t: now - this.started } : {}),
    };
    this.positions = null;
    this.vals = [];
    this.errors = [];
    this.cancels = [];
    return message;
  }
}
