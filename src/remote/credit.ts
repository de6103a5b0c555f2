/**
 * Credit: a remote writer of a buffered channel writes ahead, without waiting for the channel's
 * home, up to the credit the home granted it — so a stream costs one message per batch, not a
 * round trip per value.
 *
 * On a fixed(n) channel credit is buffer space promised to one writer (ChannelCore.reserve): a
 * value written on credit takes its promised slot (putReserved), so a write on credit is exactly a
 * buffered write, and every other writer sees promised slots as taken. A writer that needs room
 * only another writer's unused promise holds *squeezes* the channel: the home revokes unused credit
 * (`revoke`, answered by `return-credit`) and the waiting write moves in once it comes back. While
 * a revoke is out, the runtime is told that something outside may still free room, so an idle
 * home is not taken for a deadlocked one. On dropping/sliding channels writes never wait: credit
 * is a window bounding what is in flight. Rendezvous channels get no credit.
 *
 * Invariants (per channel):
 * - core.reserved = Σ over its writer ends of (outstanding + queued) on a fixed buffer, 0 otherwise;
 * - a grant never exceeds the room not yet promised, and none is made while writers wait for room,
 *   while the end is being revoked, or while other writes of the end wait for their answers (the
 *   last answer brings the grant);
 * - an end that leaves gives back everything it still holds.
 */
import type { ChannelCore } from '../core/channel-core.js';
import { OPEN } from '../core/channel-core.js';
import type { End } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import type { Answer } from './protocol.js';

/** A writer end at the home, as credit sees it (a HomeEnd). */
export interface CreditEnd {
  readonly id: number;
  readonly end: End<unknown>;
  /** Credit granted and not yet used: values the proxy may still send. */
  outstanding: number;
  /** Values with credit that arrived and wait to go in (their slots stay promised). */
  queued: number;
  /** Writes waiting for their answer. */
  acked: number;
  /** While a revoke is out: ends the runtime's expectation that it may free room. */
  revoking: (() => void) | null;
  tell(message: Answer): void;
}

/** Credit a writer holds at most on a dropping or sliding channel (its writes never wait). */
const NONBLOCKING_WINDOW = 4096;
/** No writer holds more than this at once, so one writer cannot take a huge buffer's space. */
const MAX_GRANT = 1 << 16;

/** What credit means on a channel: none (rendezvous), promised space (fixed), a window (dropping/sliding). */
type CreditKind = 'none' | 'space' | 'window';

export class ChannelCredit {
  readonly kind: CreditKind;
  /** Writer ends, on any link, that may hold credit. */
  private readonly writers = new Set<CreditEnd>();

  constructor(private readonly core: ChannelCore<unknown>) {
    this.kind = core.buffer === null ? 'none' : core.overflow === 'wait' ? 'space' : 'window';
    if (this.kind === 'space') core.onSqueeze = () => this.squeeze();
    core.onTerminate.add((error) => {
      if (!(error instanceof RetiredError && error.why === 'writers-retired')) this.withdraw();
    });
  }

  /** The most credit one writer holds: half the buffer (so it refills while the reader drains), capped. */
  private get limit(): number {
    if (this.kind === 'window') return NONBLOCKING_WINDOW;
    return Math.min(MAX_GRANT, Math.max(1, (this.core.buffer?.capacity ?? 0) >> 1));
  }

  /** Writer `he` was made: its first grant (what the `opened` answer carries). */
  open(he: CreditEnd): number {
    return this.grant(he);
  }

  /** New credit for `he`: room nobody was promised, up to its limit (0 when none may be granted now). */
  grant(he: CreditEnd): number {
    const core = this.core;
    if (this.kind === 'none' || he.end.state !== OPEN || he.revoking !== null || he.acked > 0 || core.poisoned !== null || core.readersRetired) return 0;
    let g: number;
    if (this.kind === 'window') g = Math.max(0, this.limit - he.outstanding);
    else {
      const buffer = core.buffer;
      if (buffer === null || core.putters.length > 0) return 0;
      g = Math.max(0, Math.min(this.limit - he.outstanding, buffer.capacity - buffer.size - core.reserved));
      core.reserve(g);
    }
    if (g > 0) this.writers.add(he);
    he.outstanding += g;
    return g;
  }

  /**
   * `n` values written on credit by `he` arrived: how many of them have credit (those go in with
   * `put`; any others were sent beyond the grant and are written as plain writes).
   */
  arrived(he: CreditEnd, n: number): number {
    if (this.kind === 'none') return 0;
    if (this.kind === 'window') {
      he.outstanding = Math.max(0, he.outstanding - n);
      he.queued += n;
      return n;
    }
    const a = Math.min(n, he.outstanding);
    he.outstanding -= a;
    he.queued += a;
    return a;
  }

  /**
   * A write of `n` values that waits for its answer takes up to `n` of the end's own promised
   * slots (it would take that space anyway); the answer takes that credit back from the writer.
   */
  convert(he: CreditEnd, n: number): number {
    if (this.kind !== 'space') return 0;
    const a = Math.min(n, he.outstanding);
    he.outstanding -= a;
    he.queued += a;
    return a;
  }

  /** A value with credit (counted by `arrived` or `convert`) goes in now; discarded if the channel ended for writers. */
  put(he: CreditEnd, value: unknown): void {
    if (he.queued === 0) return;
    he.queued--;
    const core = this.core;
    if (core.writeBlocker(he.end) !== null) return;
    if (this.kind === 'space') core.putReserved(value);
    else core.putNow(value, null);
  }

  /** After values on credit went in: more credit for `he` if it is running low and nothing else is pending. */
  topUp(he: CreditEnd): void {
    if (this.kind === 'none' || he.acked > 0 || he.outstanding > this.limit / 2) return;
    const g = this.grant(he);
    if (g > 0) he.tell({ kind: 'credit', end: he.id, amount: g });
  }

  /**
   * `he`'s proxy answered a revoke: it holds no credit any more. Everything it sent on credit
   * before answering has arrived (a link keeps order), so whatever is still outstanding will never
   * be used — however much the proxy says it gave back (it may have dropped credit on its own).
   */
  returned(he: CreditEnd): void {
    const held = he.outstanding;
    he.outstanding = 0;
    this.endRevoke(he);
    if (this.kind === 'space' && held > 0) this.core.unreserve(held);
  }

  /** `he` has left (retired, poisoned, its link lost): everything it still holds is given back. */
  leave(he: CreditEnd): void {
    if (!this.writers.delete(he)) return;
    const held = he.outstanding + he.queued;
    he.outstanding = 0;
    he.queued = 0;
    this.endRevoke(he);
    if (this.kind === 'space' && held > 0) this.core.unreserve(held);
  }

  /** A write waits only for room promised to others: take back what they have not used. */
  private squeeze(): void {
    for (const he of this.writers) {
      if (he.outstanding === 0 || he.revoking !== null || he.end.state !== OPEN) continue;
      he.revoking = this.core.runtime.expectOutside();
      he.tell({ kind: 'revoke', end: he.id });
    }
  }

  /** The channel was poisoned or its readers retired: no credit means anything any more. */
  private withdraw(): void {
    for (const he of this.writers) {
      he.outstanding = 0;
      he.queued = 0;
      this.endRevoke(he);
    }
  }

  private endRevoke(he: CreditEnd): void {
    const done = he.revoking;
    he.revoking = null;
    done?.();
  }
}
