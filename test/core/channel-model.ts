/**
 * A sequential model of one channel, for the model-based property (properties.test.ts (a)).
 * It follows docs/semantics.md C3–C7, R1–R5, P1–P3 and A2, one command at a time, and records
 * the outcome each operation must have.
 *
 * Where the rules are silent the model follows the reference implementation: after poison, ends
 * may still be made (their operations fail with the poison), and retiring an end made before the
 * poison no longer counts toward retiring its side.
 */
import type { BufferKind } from '../../src/testing/conformance/index.js';

export type Side = 'reader' | 'writer';
export type Failure = { readonly kind: 'poison'; readonly reason: string } | { readonly kind: 'retired'; readonly why: string } | { readonly kind: 'abort' };
export type Outcome = { readonly state: 'pending' } | { readonly state: 'ok'; readonly value?: number } | { readonly state: 'failed'; readonly failure: Failure };

interface ModelEnd {
  readonly side: Side;
  state: 'open' | 'retired' | 'poisoned';
  /** Counted by its side (false once the end left, or the channel was poisoned after it joined). */
  counted: boolean;
}

interface Waiting {
  readonly op: number;
  readonly end: number;
  readonly value: number;
}

export class ChannelModel {
  readonly ends: ModelEnd[] = [];
  readonly outcomes = new Map<number, Outcome>();
  private buffer: number[] = [];
  private takers: Waiting[] = [];
  private putters: Waiting[] = [];
  private count = { reader: 0, writer: 0 };
  private had = { reader: false, writer: false };
  private poisoned: string | null = null;

  constructor(private readonly kind: BufferKind) {}

  private retired(side: Side): boolean {
    return this.had[side] && this.count[side] === 0;
  }

  /** reader() / writer(): the index of the new end, or the RetiredError why if its side retired (R4). */
  join(side: Side): number | { readonly why: string } {
    if (this.retired(side)) return { why: side === 'reader' ? 'readers-retired' : 'writers-retired' };
    this.count[side]++;
    this.had[side] = true;
    this.ends.push({ side, state: 'open', counted: true });
    return this.ends.length - 1;
  }

  private blocker(end: number, write: boolean): Failure | null {
    if (this.poisoned !== null) return { kind: 'poison', reason: this.poisoned };
    if (this.ends[end]?.state !== 'open') return { kind: 'retired', why: 'end-retired' };
    if (write && this.retired('reader')) return { kind: 'retired', why: 'readers-retired' };
    return null;
  }

  private takeNow(): number | null {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift() as number;
      const p = this.putters.shift();
      if (p !== undefined) {
        this.buffer.push(p.value);
        this.outcomes.set(p.op, { state: 'ok' });
      }
      return value;
    }
    const p = this.putters.shift();
    if (p === undefined) return null;
    this.outcomes.set(p.op, { state: 'ok' });
    return p.value;
  }

  private putNow(value: number): boolean {
    const t = this.takers.shift();
    if (t !== undefined) {
      this.outcomes.set(t.op, { state: 'ok', value });
      return true;
    }
    if (this.kind.capacity === 0) return false;
    if (this.buffer.length < this.kind.capacity) this.buffer.push(value);
    else if (this.kind.overflow === 'drop-oldest') {
      this.buffer.shift();
      this.buffer.push(value);
    } else if (this.kind.overflow === 'wait') return false;
    return true;
  }

  read(op: number, end: number): void {
    const blocked = this.blocker(end, false);
    if (blocked !== null) return void this.outcomes.set(op, { state: 'failed', failure: blocked });
    const value = this.takeNow();
    if (value !== null) return void this.outcomes.set(op, { state: 'ok', value });
    if (this.retired('writer')) return void this.outcomes.set(op, { state: 'failed', failure: { kind: 'retired', why: 'writers-retired' } });
    this.takers.push({ op, end, value: -1 });
    this.outcomes.set(op, { state: 'pending' });
  }

  write(op: number, end: number, value: number): void {
    const blocked = this.blocker(end, true);
    if (blocked !== null) return void this.outcomes.set(op, { state: 'failed', failure: blocked });
    if (this.putNow(value)) return void this.outcomes.set(op, { state: 'ok' });
    this.putters.push({ op, end, value });
    this.outcomes.set(op, { state: 'pending' });
  }

  /** tryRead: the result, or the failure it throws. */
  tryRead(end: number): { ok: true; value: number } | { ok: false; reason: 'empty' | 'retired' } | Failure {
    const blocked = this.blocker(end, false);
    if (blocked !== null) return blocked;
    const value = this.takeNow();
    if (value !== null) return { ok: true, value };
    return { ok: false, reason: this.retired('writer') ? 'retired' : 'empty' };
  }

  /** tryWrite: the result, or the failure it throws. */
  tryWrite(end: number, value: number): { ok: true } | { ok: false; reason: 'full' | 'retired' } | Failure {
    const blocked = this.blocker(end, true);
    if (blocked !== null && blocked.kind === 'retired' && blocked.why === 'readers-retired') return { ok: false, reason: 'retired' };
    if (blocked !== null) return blocked;
    return this.putNow(value) ? { ok: true } : { ok: false, reason: 'full' };
  }

  retire(end: number): void {
    const e = this.ends[end] as ModelEnd;
    if (e.state !== 'open') return;
    e.state = 'retired';
    if (!e.counted) return;
    e.counted = false;
    const fail = (queue: Waiting[], why: string, which: (w: Waiting) => boolean): Waiting[] =>
      queue.filter((w) => {
        if (!which(w)) return true;
        this.outcomes.set(w.op, { state: 'failed', failure: { kind: 'retired', why } });
        return false;
      });
    if (e.side === 'reader') this.takers = fail(this.takers, 'end-retired', (w) => w.end === end);
    else this.putters = fail(this.putters, 'end-retired', (w) => w.end === end);
    this.count[e.side]--;
    if (!this.retired(e.side)) return;
    if (e.side === 'writer') this.takers = fail(this.takers, 'writers-retired', () => true);
    else {
      this.buffer = [];
      this.putters = fail(this.putters, 'readers-retired', () => true);
    }
  }

  poison(end: number, reason: string): void {
    const e = this.ends[end] as ModelEnd;
    if (e.state !== 'open') return;
    e.state = 'poisoned';
    if (this.poisoned !== null) return;
    this.poisoned = reason;
    this.buffer = [];
    for (const w of [...this.takers, ...this.putters]) this.outcomes.set(w.op, { state: 'failed', failure: { kind: 'poison', reason } });
    this.takers = [];
    this.putters = [];
    for (const other of this.ends) other.counted = false;
  }

  /** Aborts operation `op` if it still waits (A2); a no-op once it has settled (A3). */
  abort(op: number): void {
    const remove = (queue: Waiting[]): Waiting[] => queue.filter((w) => w.op !== op);
    if (this.outcomes.get(op)?.state !== 'pending') return;
    this.takers = remove(this.takers);
    this.putters = remove(this.putters);
    this.outcomes.set(op, { state: 'failed', failure: { kind: 'abort' } });
  }
}
