/**
 * The writing proxy. On a buffered channel it writes ahead on credit (credit.ts): a value within
 * credit goes into space the home promised it, so the write resolves at once — exactly as a
 * buffered write — and values written that way in a row leave together as one batch. Beyond
 * credit a write asks the home and settles on its answer (which may bring new credit).
 * `tryWrite` succeeds only within credit; otherwise it reports `full` (or `retired`, or throws,
 * when the channel is known to have ended) without asking — exact polling is
 * `priAlt([output(w, v), skip()])`.
 *
 * Values cross encoded by the channel's codec, in batches that fit the link's messages; a value
 * that alone cannot fit is refused at the write with FrameTooLargeError, nothing sent. A value
 * marked by `transfer` skips the codec and is moved beside its batch (codec/transfer.ts) when the
 * batch leaves — at the latest at the end of the event-loop turn of the write.
 *
 * Invariants:
 * - `credit` is spent in send order, and is 0 once the channel is known to have ended for writers;
 * - every Writer method goes through `writeValues`, so a new one (writeAll, say) inherits credit,
 *   batching, size checks and errors by calling it.
 */
import { CodecError, encodeBatch, type Codec } from '../codec/codec.js';
import { batchBytes, checkMovable, isMovable, TransferError } from '../codec/transfer.js';
import { OPEN } from '../core/channel-core.js';
import type { OpOptions, TryWriteResult, Writer } from '../core/ends.js';
import { abortError } from '../core/errors.js';
import { writeAllVia } from '../core/write-all.js';
import { FrameTooLargeError } from './errors.js';
import type { OpenBatch } from './link.js';
import type { Answer, Write } from './protocol.js';
import { ProxyEnd, type ProxyHost } from './proxy-end.js';
import type { ChannelState, CreditHolder } from './proxy-channel.js';

const RESOLVED: Promise<void> = Promise.resolve();

export class ProxyWriter<T> extends ProxyEnd<T> implements Writer<T>, CreditHolder {
  readonly side = 'writer' as const;
  /** Values this writer may still send without waiting (granted by the home). */
  credit = 0;
  /** Writes sent to the home and not answered yet: credit is not spent while one is (see ChannelCredit.convert). */
  private calls = 0;

  constructor(host: ProxyHost, id: number, channel: ChannelState, preheld: number | null) {
    super(host, id, channel, preheld);
    channel.writers.add(this);
  }

  write(value: T, options?: OpOptions): Promise<void> {
    return this.writeValues([value], options);
  }

  writeMany(values: readonly T[], options?: OpOptions): Promise<void> {
    return this.writeValues(values, options);
  }

  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void> {
    return writeAllVia(this, values, options);
  }

  /**
   * Refuses now what the channel's codec will refuse when the batch is encoded (its contract,
   * docs/decisions/0004), or a value to be moved that cannot be.
   */
  private check(value: T): void {
    if (isMovable(value)) checkMovable(value);
    else (this.channel.codec as Codec<T>).check?.(value);
  }

  /** Writes `values` in order: those within credit at once, the rest as requests to the home. */
  private writeValues(values: readonly T[], options: OpOptions | undefined): Promise<void> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (values.length === 0) return RESOLVED;
    const onCredit = this.usable() ? Math.min(this.credit, values.length) : 0;
    let batches: Uint8Array[];
    try {
      // Everything is checked before anything is sent: a refused write sends nothing.
      batches = onCredit === values.length ? [] : this.encode(values.slice(onCredit));
      for (let i = 0; i < onCredit; i++) this.check(values[i] as T);
      if (this.host.measureEach) for (let i = 0; i < onCredit; i++) this.encode([values[i]]);
    } catch (error) {
      return Promise.reject(this.encodeError(error));
    }
    if (onCredit > 0) {
      this.credit -= onCredit;
      this.host.gather(this, onCredit === values.length ? values : values.slice(0, onCredit), () => this.openBatch());
    }
    if (batches.length === 0) return RESOLVED;
    const calls = batches.map((data) => this.call(data, signal));
    return calls.length === 1 ? (calls[0] as Promise<void>) : Promise.all(calls).then(() => {});
  }

  /** One batch as a write the home answers (the answer may bring credit, or take some back). */
  private call(data: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    const answered = (answer: Answer): void => {
      this.calls--;
      if (answer.kind === 'written' || answer.kind === 'failed') this.credit = Math.max(0, this.credit + answer.credit);
    };
    this.calls++;
    return this.host.call((op) => ({ kind: 'write', op, end: this.id, data, abortable: signal !== undefined }), signal, answered).then(({ answer }) => {
      if (answer.kind !== 'written') throw this.failure(answer, signal);
    });
  }

  tryWrite(value: T): TryWriteResult {
    try {
      this.check(value);
    } catch (cause) {
      throw cause instanceof TransferError ? cause : new CodecError(this.channel.name, this.channel.codec.name, 'encode', cause);
    }
    const blocker = this.tryBlocker();
    if (blocker !== null) throw blocker;
    if (this.channel.readersRetired) return { ok: false, reason: 'retired' };
    if (this.credit === 0 || !this.usable()) return { ok: false, reason: 'full' };
    if (this.host.measureEach) {
      try {
        this.encode([value]);
      } catch (error) {
        throw this.encodeError(error);
      }
    }
    this.credit--;
    this.host.gather(this, [value], () => this.openBatch());
    return { ok: true };
  }

  /** Credit may be spent: the end is open and the channel not known to have ended for writers. */
  private usable(): boolean {
    const c = this.channel;
    return this.calls === 0 && this.state === OPEN && this.refusal === null && c.poisoned === null && !c.readersRetired && c.suspectUntil === 0;
  }

  /**
   * `values` encoded as batches that each fit one message (a batch too big is split); throws
   * FrameTooLargeError for a value that alone cannot fit, or what the codec threw.
   */
  private encode(values: readonly unknown[]): Uint8Array[] {
    const max = this.host.maxDataBytes;
    const data = encodeBatch(this.channel.codec, values);
    const bytes = batchBytes(data);
    if (bytes <= max) return [data];
    if (values.length === 1) throw new FrameTooLargeError('a value written', bytes, max, this.channel.name);
    const half = values.length >> 1;
    return [...this.encode(values.slice(0, half)), ...this.encode(values.slice(half))];
  }

  private encodeError(error: unknown): Error {
    return error instanceof FrameTooLargeError || error instanceof TransferError ? error : new CodecError(this.channel.name, this.channel.codec.name, 'encode', error);
  }

  /** The batch values written on credit gather into; it is encoded when its message leaves. */
  private openBatch(): OpenBatch {
    const values: T[] = [];
    return { owner: this, values, close: () => this.closeBatch(values) };
  }

  private closeBatch(values: readonly T[]): Write[] {
    try {
      return this.encode(values).map((data) => ({ kind: 'write', op: 0, end: this.id, data, abortable: false }));
    } catch (error) {
      // The writes have resolved, as if buffered; like buffered values lost to poison, the channel
      // is poisoned with the cause instead (a codec that fails only on a whole batch, or a value
      // too big for a link that measures batches, not values).
      const reason = this.encodeError(error);
      this.host.send({ kind: 'poison', end: this.id, reason: this.host.toWire(reason), token: this.host.remember(reason) });
      return [];
    }
  }
}
