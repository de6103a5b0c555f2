/**
 * Read-ahead at a channel's home: a remote reader iterating with `for await` asks, with each read,
 * to read ahead; the home then lends it copies of the values at the front of the buffer, which
 * stay there, counted against the capacity, until the reader reports them consumed (`taken`) —
 * so a stream costs one round trip per batch, not per value, and nothing about the channel
 * changes for anyone else (docs/semantics.md, rules RA1–RA5).
 *
 * The core holds the lent values at the front of its buffer (ChannelCore.leased): no other take
 * passes them. A take that finds them there makes the home recall them (`recall`, answered by a
 * `taken` with `done`); until the answer comes, the runtime is told something outside may still
 * free them, so an idle home is not taken for a deadlocked one.
 *
 * Invariants (per channel):
 * - a lease exists (lessee !== null) iff core.leased > 0, except while poison or readers retiring
 *   clear both;
 * - a lease is made only on a fixed(n) channel, to its only reader end, with no take waiting;
 * - a lease is named by the read that made it (its op); a `taken` naming another is stale and ignored.
 */
import type { ChannelCore } from '../core/channel-core.js';
import { OPEN } from '../core/channel-core.js';
import { RetiredError } from '../core/errors.js';
import type { End } from '../core/ends.js';
import type { Answer } from './protocol.js';

/** A reader end at the home, as read-ahead sees it (a Lessee). */
export interface Lessee {
  readonly id: number;
  readonly end: End<unknown>;
  tell(message: Answer): void;
}

/** The most values lent with one answer (the link's gathered batches are no bigger). */
export const MAX_AHEAD = 8192;

export class ReadAhead {
  /** The reader end the front of the buffer is lent to, and the read that lent it. */
  private lessee: Lessee | null = null;
  private op = 0;
  /** While a recall is out: ends the runtime's expectation that it may free the values. */
  private recalling: (() => void) | null = null;

  constructor(private readonly core: ChannelCore<unknown>) {
    if (core.buffer === null || core.overflow !== 'wait') return;
    core.onRecall = () => this.recall();
    core.onTerminate.add((error) => {
      if (!(error instanceof RetiredError && error.why === 'writers-retired')) this.end();
    });
  }

  /**
   * Read `op` of `he` has taken its value and asks to read up to `ahead` more: the values lent to
   * it (copies of the front of the buffer, left there), none when a lease cannot be made now.
   */
  lend(he: Lessee, op: number, ahead: number): unknown[] {
    const core = this.core;
    const buffer = core.buffer;
    if (ahead === 0 || core.onRecall === null || buffer === null || buffer.size === 0) return [];
    if (this.lessee !== null || core.leased > 0 || core.readers !== 1 || core.poisoned !== null || he.end.state !== OPEN || core.takers.length > 0) return [];
    this.lessee = he;
    this.op = op;
    return core.lend(Math.min(ahead, MAX_AHEAD, buffer.size));
  }

  /** The reader reports on the lease of read `op`: `count` more values consumed; `done`, the rest given back. */
  taken(he: Lessee, op: number, count: number, done: boolean): void {
    if (he !== this.lessee || op !== this.op) return;
    this.core.consumeLeased(count);
    if (done || this.core.leased === 0) this.end();
  }

  /** `he` has left its channel: whatever it still had lent stays in the buffer, for the others. */
  leave(he: Lessee): void {
    if (he === this.lessee) this.end();
  }

  private recall(): void {
    const he = this.lessee;
    if (he === null || this.recalling !== null) return;
    this.recalling = this.core.runtime.expectOutside();
    he.tell({ kind: 'recall', end: he.id, op: this.op });
  }

  private end(): void {
    this.lessee = null;
    this.op = 0;
    const done = this.recalling;
    this.recalling = null;
    this.core.endLease();
    done?.();
  }
}
