/**
 * The reading proxy: `read`/`readMany` ask the home, which reads on the real end and answers with
 * the values (in several parts when one message cannot carry them all). `tryRead` never asks: it
 * reports `empty` unless the channel is known to be at end-of-stream (`retired`) or poisoned
 * (throws) — exact polling is `priAlt([input(r), skip()])` — or a value read ahead is held.
 *
 * Read-ahead (docs/semantics.md RA1–RA5, read-ahead.ts): `for await` asks, with each read, to read
 * ahead; the home may lend copies of the values at the front of a fixed(n) buffer, which this end
 * hands out in order before asking again. They stay in the home's buffer until reported consumed
 * (`taken`, gathered like writes on credit, so the report leaves before anything this end's
 * process sends after taking the value), and are given back (`taken` with `done`) when the loop is
 * left early, the end retires, is poisoned or let go of, an alt reads it, or the home recalls
 * them for another reader.
 *
 * Invariants:
 * - values are held (`ahead[next..]`) only while `lease` names the read that lent them; the home
 *   counts as lent exactly those plus the ones handed out whose report has not reached it;
 * - held values are handed out only while no read of this end waits for its answer (so an answer
 *   still coming is never overtaken); such reads reach the home, which recalls the rest first.
 */
import { CodecError, decodeBatch } from '../codec/codec.js';
import { OPEN } from '../core/channel-core.js';
import type { OpOptions, Reader, TryReadResult } from '../core/ends.js';
import { abortError, PoisonError, RetiredError, type Site } from '../core/errors.js';
import type { Ending } from '../core/ends.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { OpenBatch } from './link.js';
import { ProxyEnd } from './proxy-end.js';
import { MAX_AHEAD } from './read-ahead.js';

export class ProxyReader<T> extends ProxyEnd<T> implements Reader<T> {
  readonly side = 'reader' as const;
  /** Values lent by the home and not handed out yet: ahead[next..]. */
  private ahead: T[] = [];
  private next = 0;
  /** The read whose answer lent them (0: none held). */
  private lease = 0;
  /** Whom the values handed out of the current lease are gathered for (see handOut). */
  private reports: object = {};
  /** Reads sent to the home and not answered yet. */
  private calls = 0;

  read(options?: OpOptions): Promise<T> {
    return this.take(0, options, 0).then((values) => values[0] as T);
  }

  readMany(max: number, options?: OpOptions): Promise<T[]> {
    if (!Number.isInteger(max) || max < 1) return Promise.reject(new RangeError(`readMany(max): max must be an integer >= 1, got ${max}`));
    return this.take(max, options, 0);
  }

  /** max 0: one value (read); `ahead` > 0: asks to read that many more ahead. */
  private take(max: number, options: OpOptions | undefined, ahead: number): Promise<T[]> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.lease !== 0 && this.calls === 0) {
      try {
        return Promise.resolve(this.handOut(Math.max(1, max)));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Only a read with no other of this end in flight reads ahead (its answer is the next to come).
    const asked = this.calls === 0 ? ahead : 0;
    this.calls++;
    const call = this.host.call((op) => ({ kind: 'read', op, end: this.id, max, abortable: signal !== undefined, ahead: asked }), signal);
    return call.then(
      ({ answer, parts }) => {
        this.calls--;
        if (answer.kind !== 'values') throw this.failure(answer, signal);
        const values = parts.length === 1 ? this.decode(parts[0] as Uint8Array) : parts.flatMap((part) => this.decode(part));
        if (max !== 0 || values.length === 1) return values;
        // Lent to an end that has left since: the home ended the lease when it left.
        if (this.state !== OPEN) return values.slice(0, 1);
        // The value read, then those lent to this end.
        this.ahead = values;
        this.next = 1;
        this.lease = answer.op;
        return values.slice(0, 1);
      },
      (error: unknown) => {
        this.calls--;
        throw error;
      },
    );
  }

  /** Up to `max` held values, handed out now (at least one is held); throws what a read must fail with. */
  private handOut(max: number): T[] {
    const blocker = this.tryBlocker();
    if (blocker !== null) {
      this.giveBack();
      throw blocker;
    }
    const n = Math.min(max, this.ahead.length - this.next);
    const values = n === 1 ? [this.ahead[this.next] as T] : this.ahead.slice(this.next, this.next + n);
    this.next += n;
    // Reported with whatever this end sends next, before it: a slot is free at the home before
    // anything this reader does after taking the value is seen there.
    const op = this.lease;
    this.host.gather(this.reports, values, () => this.openReport(op));
    if (this.next === this.ahead.length) this.drop();
    return values;
  }

  /** Values handed out of the lease of read `op`, gathered into one `taken` message. */
  private openReport(op: number): OpenBatch {
    const values: unknown[] = [];
    return { owner: this.reports, values, close: () => [{ kind: 'taken', end: this.id, op, count: values.length, done: false }] };
  }

  /** Forgets the lease (its values all handed out, or given back). */
  private drop(): void {
    this.ahead = [];
    this.next = 0;
    this.lease = 0;
    this.reports = {};
  }

  /** Gives back the values held (they stay at the front of the channel, for whichever reader reads next). */
  giveBack(): void {
    if (this.lease === 0) return;
    if (this.state === OPEN) this.host.send({ kind: 'taken', end: this.id, op: this.lease, count: 0, done: true });
    this.drop();
  }

  /** The home wants back what read `op` lent (another reader waits for it). */
  recall(op: number): void {
    if (op === this.lease) this.giveBack();
  }

  /** A batch from the home, decoded; bytes the codec cannot decode poison the channel with a CodecError. */
  decode(data: Uint8Array): T[] {
    try {
      return decodeBatch(this.channel.codec, data) as T[];
    } catch (cause) {
      const error = new CodecError(this.channel.name, this.channel.codec.name, 'decode', cause);
      this.host.send({ kind: 'poison', end: this.id, reason: this.host.toWire(error), token: this.host.remember(error) });
      throw new PoisonError(error, { channel: this.channel.name });
    }
  }

  tryRead(): TryReadResult<T> {
    const blocker = this.tryBlocker();
    if (blocker !== null) throw blocker;
    if (this.lease !== 0 && this.calls === 0) return { ok: true, value: this.handOut(1)[0] as T };
    return { ok: false, reason: this.channel.drained ? 'retired' : 'empty' };
  }

  override retire(): void {
    this.giveBack();
    super.retire();
  }

  override poisonFrom(reason: unknown, origin: Site | undefined): PoisonError | null {
    this.giveBack();
    return super.poisonFrom(reason, origin);
  }

  override release(process: ProcessRecord, ending: Ending): void {
    if (this.holders.length === 1 && this.holders[0] === process) this.giveBack();
    super.release(process, ending);
  }

  /**
   * Iteration reads ahead: values lent by the home are handed out without asking again. Leaving
   * the loop early (`return`) gives back what is held; it does not retire the end (C9).
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () =>
        this.take(0, undefined, MAX_AHEAD).then(
          (values): IteratorResult<T> => ({ done: false, value: values[0] as T }),
          (error: unknown) => {
            if (error instanceof RetiredError && error.why === 'writers-retired') return { done: true, value: undefined };
            throw error;
          },
        ),
      return: (): Promise<IteratorResult<T>> => {
        this.giveBack();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}
