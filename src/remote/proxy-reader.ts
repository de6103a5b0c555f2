/**
 * The reading proxy: `read`/`readMany` ask the home, which reads on the real end and answers with
 * the values (in several parts when one message cannot carry them all). `tryRead` never asks: no
 * value is delivered to a proxy ahead of time, so it reports `empty` unless the channel is known to
 * be at end-of-stream (`retired`) or poisoned (throws) — exact polling is `priAlt([input(r), skip()])`.
 */
import { CodecError, decodeBatch } from '../codec/codec.js';
import type { OpOptions, Reader, TryReadResult } from '../core/ends.js';
import { abortError, PoisonError, RetiredError } from '../core/errors.js';
import { ProxyEnd } from './proxy-end.js';

export class ProxyReader<T> extends ProxyEnd<T> implements Reader<T> {
  readonly side = 'reader' as const;

  read(options?: OpOptions): Promise<T> {
    return this.take(0, options).then((values) => values[0] as T);
  }

  readMany(max: number, options?: OpOptions): Promise<T[]> {
    if (!Number.isInteger(max) || max < 1) return Promise.reject(new RangeError(`readMany(max): max must be an integer >= 1, got ${max}`));
    return this.take(max, options);
  }

  /** max 0: one value (read). */
  private take(max: number, options: OpOptions | undefined): Promise<T[]> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return this.host.call((op) => ({ kind: 'read', op, end: this.id, max, abortable: signal !== undefined }), signal).then(({ answer, parts }) => {
      if (answer.kind !== 'values') throw this.failure(answer, signal);
      const values: T[] = [];
      for (const part of parts) for (const v of this.decode(part)) values.push(v);
      return values;
    });
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
    return { ok: false, reason: this.channel.drained ? 'retired' : 'empty' };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () =>
        this.read().then(
          (value): IteratorResult<T> => ({ done: false, value }),
          (error: unknown) => {
            if (error instanceof RetiredError && error.why === 'writers-retired') return { done: true, value: undefined };
            throw error;
          },
        ),
    };
  }
}
