/**
 * The reading end of a durable channel. Every reader of the channel, in any process on any host,
 * takes from one shared durable pull consumer, one message at a time. The value is held — its
 * lease extended with `working()` every third of the ack wait — until this end's next read, its
 * retirement or its process's end; it is then acknowledged, but only after every publish its
 * process made meanwhile was acknowledged (durable-ledger.ts). A reader that dies holding a value
 * stops extending the lease: the server redelivers the value to another reader after the ack wait.
 *
 * End of stream: every writer has left (the control channel says so) and the stream is empty — in
 * a work-queue stream, every value stored has been acknowledged (a value lost in flight to a
 * reader, or held by one that died, is still there and comes back after the ack wait).
 *
 * Try-operations answer at once without the network (as proxies do): tryRead never takes a value
 * (`empty` while open).
 */
import { abortError, RetiredError } from '../../core/errors.js';
import type { OpOptions, Reader, TryReadResult } from '../../core/ends.js';
import { DurableEnd } from './durable-end.js';
import type { HeldMessage } from './jetstream-client.js';

/** How long one pull waits for a message before the reader checks for the end of stream again. */
const POLL_MS = 1_000;

export class DurableReader<T> extends DurableEnd implements Reader<T> {
  readonly side = 'reader' as const;
  private held: HeldMessage | null = null;
  private cancelLease: (() => void) | null = null;

  read(options?: OpOptions): Promise<T> {
    return this.serial(() => this.take(options?.signal));
  }

  /** One value: a durable reader takes one message at a time (each write derives from one input). */
  readMany(max: number, options?: OpOptions): Promise<T[]> {
    if (!Number.isInteger(max) || max < 1) return Promise.reject(new RangeError(`readMany(max): max must be an integer >= 1, got ${String(max)}`));
    return this.read(options).then((v) => [v]);
  }

  tryRead(): TryReadResult<T> {
    if (this.poisoned !== null) throw this.poisoned;
    return { ok: false, reason: this.open ? 'empty' : 'retired' };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.read();
      } catch (error) {
        if (error instanceof RetiredError) return;
        throw error;
      }
    }
  }

  private async take(signal: AbortSignal | undefined): Promise<T> {
    this.check();
    await this.settle(true);
    const { spec, store } = this.parts;
    let wait = 50;
    for (;;) {
      if (signal?.aborted === true) throw abortError(signal);
      this.check();
      let m: HeldMessage | null;
      try {
        m = await store.next(spec.stream, spec.consumer, POLL_MS);
      } catch {
        // A server restarting, a stream leader being elected: try again shortly.
        await this.sleep(wait);
        wait = Math.min(wait * 2, 1_000);
        continue;
      }
      wait = 50;
      if (m !== null) {
        if (!this.alive || isAborted(signal)) {
          m.nak();
          continue;
        }
        this.keep(m);
        return this.parts.codec.decode(m.data) as T;
      }
      if (this.otherSideGone && (await this.drained())) throw new RetiredError('writers-retired', spec.channel);
    }
  }

  private async drained(): Promise<boolean> {
    try {
      return (await this.parts.store.stored(this.parts.spec.stream)) === 0;
    } catch {
      return false;
    }
  }

  private keep(m: HeldMessage): void {
    this.held = m;
    this.ledger().took(this.parts.spec.stream, m.seq);
    const every = Math.max(1, Math.floor(this.parts.spec.ackWaitMs / 3));
    const extend = (): void => {
      m.working();
      this.cancelLease = this.parts.timers.setTimer(every, extend);
    };
    this.cancelLease = this.parts.timers.setTimer(every, extend);
  }

  protected async settle(keep: boolean): Promise<void> {
    const m = this.held;
    if (m === null) return;
    this.held = null;
    this.cancelLease?.();
    this.cancelLease = null;
    if (keep && (await this.ledger().settled())) {
      try {
        await m.ack();
      } catch {
        // Not confirmed: the server redelivers it after the ack wait (the outputs it produced are
        // dropped as duplicates downstream).
      }
    } else m.nak();
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
