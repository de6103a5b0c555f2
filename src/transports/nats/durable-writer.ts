/**
 * The writing end of a durable channel. A write resolves once JetStream has stored the value (a
 * publish acknowledged by the stream, replicated when the stream is). The stream is bounded by the
 * channel's buffer with `discard: new`: a full stream refuses the publish, and the writer tries
 * again with back-off — that is the back-pressure. Other failures (a leader election, a server
 * restart) are retried with the same message id, so a value stored before its acknowledgement
 * was lost is not stored twice; after RETRY_SPAN_MS of failures the write fails with
 * DurableStoreError.
 *
 * On a replicated stream the writers keep the bound (the stream is unbounded, durable-channel.ts):
 * before every `capacity / 8` writes (at least every write for a small buffer) a writer asks the
 * stream how many values it holds and waits with back-off while it is full. The bound is then
 * approximate: exceeded by at most (writers × capacity / 8).
 *
 * Try-operations answer at once without the network: tryWrite never stores (`full` while open).
 */
import { abortError, RetiredError } from '../../core/errors.js';
import type { OpOptions, TryWriteResult, Writer } from '../../core/ends.js';
import { writeAllVia } from '../../core/write-all.js';
import { DurableEnd } from './durable-end.js';
import { DurableStoreError, DurableValueTooLargeError } from './errors.js';

/** Room kept in a message for its headers (message id, expected stream). */
export const HEADER_ROOM = 256;
/** The longest a write retries failures other than a full stream (the duplicate window is longer). */
export const RETRY_SPAN_MS = 60_000;
const PUBLISH_TIMEOUT_MS = 2_000;

export class DurableWriter<T> extends DurableEnd implements Writer<T> {
  readonly side = 'writer' as const;
  /** Writes left before this writer asks the stream how full it is again (writers keep the bound). */
  private unchecked = 0;

  write(value: T, options?: OpOptions): Promise<void> {
    return this.serial(() => this.put(value, options?.signal));
  }

  async writeMany(values: readonly T[], options?: OpOptions): Promise<void> {
    for (const v of values) await this.write(v, options);
  }

  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void> {
    return writeAllVia(this, values, options);
  }

  tryWrite(): TryWriteResult {
    if (this.poisoned !== null) throw this.poisoned;
    return { ok: false, reason: this.open && !this.otherSideGone ? 'full' : 'retired' };
  }

  private put(value: T, signal: AbortSignal | undefined): Promise<void> {
    const ledger = this.ledger();
    try {
      this.check();
      if (this.otherSideGone) throw new RetiredError('readers-retired', this.parts.spec.channel);
    } catch (error) {
      ledger.refused();
      throw error;
    }
    const data = this.parts.codec.encode(value);
    const limit = this.parts.store.maxPayload - HEADER_ROOM;
    if (data.byteLength > limit) {
      ledger.refused();
      throw new DurableValueTooLargeError(this.parts.spec.channel, data.byteLength, limit);
    }
    const publish = this.publish(data, ledger.nextId(), signal);
    ledger.track(publish);
    return publish;
  }

  private async publish(data: Uint8Array, id: string, signal: AbortSignal | undefined): Promise<void> {
    const { spec, store } = this.parts;
    let failing: { over: boolean; cancel: () => void; last: unknown } | null = null;
    let wait = 2;
    try {
      for (;;) {
        this.check();
        if (this.otherSideGone) throw new RetiredError('readers-retired', spec.channel);
        if (signal?.aborted === true) throw abortError(signal);
        try {
          if (spec.writersBound && !(await this.room())) {
            await this.sleep(wait);
            wait = Math.min(wait * 2, 100);
            continue;
          }
          const r = await store.publish(spec.subject, data, id, spec.stream, PUBLISH_TIMEOUT_MS);
          if (r.kind === 'stored') return;
          failing?.cancel();
          failing = null;
          await this.sleep(wait);
          wait = Math.min(wait * 2, 100);
        } catch (error) {
          if (failing === null) {
            const f = { over: false, cancel: () => {}, last: error as unknown };
            f.cancel = this.parts.timers.setTimer(RETRY_SPAN_MS, () => (f.over = true));
            failing = f;
          }
          failing.last = error;
          if (failing.over) throw new DurableStoreError(spec.channel, 'storing a value', RETRY_SPAN_MS, failing.last);
          await this.sleep(Math.max(wait, 50));
          wait = Math.min(wait * 2, 500);
        }
      }
    } finally {
      failing?.cancel();
    }
  }

  /** Whether the stream has room, asking it once every capacity / 8 writes. */
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

  protected settle(): Promise<void> {
    return this.ledger().settled().then(() => {});
  }
}
