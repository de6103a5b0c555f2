/**
 * The writing end of a durable channel. Values travel many to a JetStream message: a write is
 * accepted into its process's open group for this channel (durable-ledger.ts says which values
 * share a message and with which id) and resolves at once, unless MAX_IN_FLIGHT publishes of its
 * process are in flight — then it waits for one to finish (with a full stream, the back-pressure).
 * A group is published when full, when the process moves past its input, when this end leaves, or
 * — for a source, whose groups derive from no input — as soon as the writer is idle. The process's
 * end and its input's acknowledgement wait for every publish; a publish that failed fails the
 * process's next operation and its end (durable-end.ts), never silently.
 *
 * The stream is bounded with `discard: new`: a full stream refuses the publish, and it is tried
 * again with back-off. Other failures (a leader election, a server restart) are retried with the
 * same message id, so a message stored before its acknowledgement was lost is not stored twice;
 * after RETRY_SPAN_MS of failures the publish fails with DurableStoreError.
 *
 * On a replicated stream the writers keep the bound (the stream is unbounded, durable-channel.ts):
 * before every `capacity / 8` publishes (at least every publish for a small buffer) a writer asks
 * the stream how many messages it holds and waits with back-off while it is full. The bound is
 * then approximate: exceeded by at most (writers × capacity / 8).
 *
 * Try-operations answer at once without the network: tryWrite never stores (`full` while open).
 */
import { abortError, RetiredError } from '../../core/errors.js';
import type { OpOptions, TryWriteResult, Writer } from '../../core/ends.js';
import { writeAllVia } from '../../core/write-all.js';
import { BATCH_HEAD, encodeBatch, VALUE_HEAD } from './durable-batch.js';
import { DurableEnd } from './durable-end.js';
import type { GroupSink, Ledger } from './durable-ledger.js';
import { DurableStoreError, DurableValueTooLargeError } from './errors.js';

/** Room kept in a message for its headers (message id, expected stream). */
export const HEADER_ROOM = 256;
/** The longest a write retries failures other than a full stream (the duplicate window is longer). */
export const RETRY_SPAN_MS = 60_000;
const PUBLISH_TIMEOUT_MS = 2_000;
/** Full answers in a row (backing off to 100 ms: about a second) before acknowledged leftovers are looked for. */
const FULL_SWEEP = 16;

export class DurableWriter<T> extends DurableEnd implements Writer<T> {
  readonly side = 'writer' as const;
  /** Full answers since the last publish stored (see `stillFull`). */
  private fullAnswers = 0;
  /** A look for leftovers is on its way (one at a time, whatever the publishes in flight). */
  private sweeping = false;
  /** Publishes left before this writer asks the stream how full it is again (writers keep the bound). */
  private unchecked = 0;
  /** Cancels the pending idle flush, if one is scheduled. */
  private idleFlush: (() => void) | null = null;
  /** The most bytes one encoded value may take: alone in a message, headers and framing aside. */
  private readonly valueLimit = this.payloadLimit() - BATCH_HEAD - VALUE_HEAD;
  private readonly sink: GroupSink = {
    budget: Math.min(this.parts.spec.messageBytes, this.payloadLimit()),
    launch: (id, values) => this.publish(encodeBatch(values), id),
  };

  write(value: T, options?: OpOptions): Promise<void> {
    const ledger = this.ledger();
    if (this.queued === 0 && options?.signal === undefined && ledger.hasRoom()) {
      // Nothing queued before it and room in flight: accepted at once.
      try {
        this.accept(value, ledger, undefined);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return Promise.resolve();
    }
    return this.serial(() => this.put([value], options?.signal));
  }

  writeMany(values: readonly T[], options?: OpOptions): Promise<void> {
    return this.serial(() => this.put(values, options?.signal));
  }

  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void> {
    return writeAllVia(this, values, options);
  }

  tryWrite(): TryWriteResult {
    if (this.poisoned !== null) throw this.poisoned;
    return { ok: false, reason: this.open && !this.otherSideGone ? 'full' : 'retired' };
  }

  /** The bytes of the biggest message the server takes, headers and batch framing left aside. */
  private payloadLimit(): number {
    return this.parts.store.maxPayload - HEADER_ROOM;
  }

  private async put(values: readonly T[], signal: AbortSignal | undefined): Promise<void> {
    const ledger = this.ledger();
    for (const value of values) {
      if (!ledger.hasRoom()) await ledger.room();
      this.accept(value, ledger, signal);
    }
  }

  /** One value into its process's open group for this channel: checked, encoded, added. */
  private accept(value: T, ledger: Ledger, signal: AbortSignal | undefined): void {
    try {
      this.check();
      ledger.check();
      if (this.otherSideGone) throw new RetiredError('readers-retired', this.parts.spec.channel);
      if (signal?.aborted === true) throw abortError(signal);
    } catch (error) {
      ledger.refused();
      throw error;
    }
    const data = this.parts.codec.encode(value);
    const limit = this.valueLimit;
    if (data.byteLength > limit) {
      ledger.refused();
      throw new DurableValueTooLargeError(this.parts.spec.channel, data.byteLength, limit);
    }
    ledger.add(this.sink, data);
    this.idleFlush ??= this.parts.timers.setTimer(0, () => {
      this.idleFlush = null;
      ledger.idle(this.sink);
    });
  }

  private async publish(data: Uint8Array, id: string): Promise<void> {
    const { spec, store } = this.parts;
    let failing: { over: boolean; cancel: () => void; last: unknown } | null = null;
    let wait = 2;
    try {
      for (;;) {
        this.live();
        if (this.otherSideGone) throw new RetiredError('readers-retired', spec.channel);
        try {
          if (spec.writersBound && !(await this.room())) {
            await this.stillFull();
            await this.sleep(wait);
            wait = Math.min(wait * 2, 100);
            continue;
          }
          const r = await store.publish(spec.subject, data, id, spec.stream, PUBLISH_TIMEOUT_MS);
          if (r.kind === 'stored') {
            this.fullAnswers = 0;
            return;
          }
          failing?.cancel();
          failing = null;
          await this.stillFull();
          await this.sleep(wait);
          wait = Math.min(wait * 2, 100);
        } catch (error) {
          if (failing === null) {
            const f = { over: false, cancel: () => {}, last: error as unknown };
            f.cancel = this.parts.timers.setTimer(RETRY_SPAN_MS, () => (f.over = true));
            failing = f;
          }
          failing.last = error;
          if (failing.over) throw new DurableStoreError(spec.channel, 'storing values', RETRY_SPAN_MS, failing.last);
          await this.sleep(Math.max(wait, 50));
          wait = Math.min(wait * 2, 500);
        }
      }
    } finally {
      failing?.cancel();
    }
  }

  /**
   * The stream answered full again: every FULL_SWEEP answers, messages a killed server left behind
   * though acknowledged are dropped (`unfinished`), lest they hold the stream full for good.
   */
  private async stillFull(): Promise<void> {
    if (++this.fullAnswers % FULL_SWEEP !== 0 || this.sweeping) return;
    const { spec, store } = this.parts;
    this.sweeping = true;
    await store.unfinished(spec.stream, spec.consumer).catch(() => 0);
    this.sweeping = false;
  }

  /** Whether the stream has room, asking it once every capacity / 8 publishes. */
  private async room(): Promise<boolean> {
    if (this.unchecked > 0) {
      this.unchecked--;
      return true;
    }
    const { spec, store } = this.parts;
    if ((await store.stored(spec.stream)) >= spec.capacity) return false;
    this.unchecked = Math.floor(spec.capacity / 8);
    return true;
  }

  protected settle(keep: boolean): Promise<boolean> {
    const ledger = this.ledger();
    if (keep) ledger.flush(this.sink);
    return ledger.settled();
  }
}
