/**
 * What every durable end shares: the ends of its channel's two control channels, and the
 * process-end protocol (holders, the last holder's retire or poison).
 *
 * Values travel through JetStream; control state stays on the links at the channel's home, as
 * two core channels nobody writes to: `watch` (this side reads it, the other side holds its
 * writers) and `presence` (this side holds a writer, the other side reads it). A read on `watch`
 * never gets a value: it fails with RetiredError once every end of the other side has left (for a
 * reader: writers gone, end of stream once the stream is drained; for a writer: nobody will read),
 * or PoisonError once either control channel is poisoned — which this end then spreads to the
 * other. A retire marker published into a work-queue stream would reach one reader only; core
 * channels at the home count every end.
 *
 * A watch failing otherwise (the link to the home lost: the runner is gone, or has given this
 * worker up) ends this end: every operation fails with that error and a held value is given back
 * at once, so a worker cut off from its run stops taking values another worker will be given.
 *
 * Invariant: once `poisoned` or `cutOff` is set it never changes; `otherSideGone` never goes back
 * to false.
 */
import type { AltPlace } from '../../core/alt.js';
import type { Codec } from '../../codec/codec.js';
import { processEnd, type Ending, type ProcessEnd, type Reader, type Writer } from '../../core/ends.js';
import { PoisonError, RetiredError, type Site } from '../../core/errors.js';
import { addHolder, removeHolder } from '../../core/holding.js';
import { soleHolder, type ProcessRecord } from '../../core/process-record.js';
import type { LinkTimers } from '../../remote/reliable-link.js';
import { DurableAltError } from './errors.js';
import { Ledger, ledgerOf } from './durable-ledger.js';
import type { DurableSpec } from './durable-spec.js';
import type { DurableStore } from './jetstream-client.js';

/** What a durable end is made of. */
export interface DurableParts {
  readonly spec: DurableSpec;
  readonly store: DurableStore;
  readonly codec: Codec<unknown>;
  readonly watch: Reader<unknown>;
  readonly presence: Writer<unknown>;
  readonly timers: LinkTimers;
}

type Control = ProcessEnd & { readonly alive?: boolean };

export abstract class DurableEnd implements ProcessEnd {
  readonly [processEnd] = true as const;
  abstract readonly side: 'reader' | 'writer';
  readonly holders: ProcessRecord[] = [];
  /** Refuses every alt (see DurableAltError). */
  readonly place: AltPlace;
  protected open = true;
  protected poisoned: PoisonError | null = null;
  /** Why this end can no longer reach its channel's home. */
  protected cutOff: Error | null = null;
  /** Its worker is stopping: the next operation ends the process as a retirement would. */
  private stopping = false;
  /** Every end of the other side has left. */
  protected otherSideGone = false;
  private readonly stopWatching = new AbortController();
  private readonly ownLedger = new Ledger();
  /** The last queued operation of this end: operations run one at a time, in order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(protected readonly parts: DurableParts) {
    const channel = parts.spec.channel;
    this.place = { description: `durable channel "${channel}"`, runAlt: () => Promise.reject(new DurableAltError(channel)) };
    parts.watch.read({ signal: this.stopWatching.signal }).then(
      () => {},
      (error: unknown) => {
        if (error instanceof PoisonError) this.spread(error);
        else if (error instanceof RetiredError) this.otherSideGone = true;
        else if (!this.stopWatching.signal.aborted) {
          this.cutOff = error instanceof Error ? error : new Error(String(error));
          void this.settle(false);
        }
      },
    );
  }

  get channelName(): string {
    return this.parts.spec.channel;
  }

  get alive(): boolean {
    return this.open && this.poisoned === null && this.cutOff === null && !this.stopping;
  }

  /**
   * The worker is stopping (SIGTERM): a value held is given back at once (another reader takes
   * it), and the next operation fails with RetiredError, so the process ends as by retirement —
   * normally, its ends retired, not poisoned.
   */
  stopTaking(): void {
    this.stopping = true;
    void this.settle(false);
  }

  /** Refuses to be an alt guard. */
  offerTo(): never {
    throw new DurableAltError(this.parts.spec.channel);
  }

  /** The ledger of the process holding this end (its own when held by none, or by several). */
  protected ledger(): Ledger {
    const holder = soleHolder(this.holders);
    return holder === null ? this.ownLedger : ledgerOf(holder);
  }

  /** Runs `op` after this end's earlier operations (FIFO per end). */
  protected serial<R>(op: () => Promise<R>): Promise<R> {
    const run = this.tail.then(op, op);
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Throws what stops every operation: poison, the home out of reach, or this end having left.
   * Once the watch has ended (the other side gone), poison is still learnt: the control end
   * answers a try-read with PoisonError once its channel is poisoned.
   */
  protected check(): void {
    if (this.poisoned === null && this.otherSideGone) {
      try {
        this.parts.watch.tryRead();
      } catch (error) {
        if (error instanceof PoisonError) this.spread(error);
      }
    }
    if (this.poisoned !== null) throw this.poisoned;
    if (this.cutOff !== null) throw this.cutOff;
    if (this.stopping) throw new RetiredError('end-retired', this.parts.spec.channel);
    if (!this.open) throw new RetiredError('end-retired', this.parts.spec.channel);
  }

  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.parts.timers.setTimer(ms, resolve));
  }

  /** Lets go of what this end holds before it leaves: a reader acknowledges or gives back its value. */
  protected abstract settle(keep: boolean): Promise<void>;

  giveTo(process: ProcessRecord): void {
    for (const c of this.controls()) c.giveTo(process);
    addHolder(this, process);
  }

  hold(process: ProcessRecord): void {
    for (const c of this.controls()) c.hold(process);
    addHolder(this, process);
  }

  release(process: ProcessRecord, ending: Ending): void {
    if (!removeHolder(this, process) || this.holders.length > 0) return;
    if (ending.kind === 'retire') this.leave(() => this.releaseControls(process, ending));
    else {
      this.poisonFrom(ending.reason, ending.origin);
      this.releaseControls(process, ending);
    }
  }

  retire(): void {
    this.leave(() => {
      for (const c of this.controls()) c.retire();
    });
  }

  poison(reason?: unknown): void {
    this.poisonFrom(reason, undefined);
  }

  poisonFrom(reason: unknown, origin: Site | undefined): PoisonError | null {
    if (!this.open) return null;
    this.open = false;
    this.stopWatching.abort();
    void this.settle(false);
    const made = this.parts.watch as unknown as ProcessEnd;
    const error = made.poisonFrom(reason, origin ?? { channel: this.parts.spec.channel });
    (this.parts.presence as unknown as ProcessEnd).poisonFrom(reason, origin ?? { channel: this.parts.spec.channel });
    return error instanceof PoisonError ? error : null;
  }

  /** This end leaves gracefully: what it holds is settled first, then `done` tells the home. */
  private leave(done: () => void): void {
    if (!this.open) return;
    this.open = false;
    void this.serial(() => this.settle(true)).finally(() => {
      this.stopWatching.abort();
      done();
    });
  }

  /** The channel was poisoned (seen on `watch`): remembered, and spread to the other control channel. */
  private spread(error: PoisonError): void {
    if (this.poisoned !== null) return;
    this.poisoned = error;
    void this.settle(false);
    (this.parts.presence as unknown as ProcessEnd).poisonFrom(error.reason, error.origin);
  }

  private releaseControls(process: ProcessRecord, ending: Ending): void {
    for (const c of this.controls()) c.release(process, ending);
  }

  private controls(): Control[] {
    return [this.parts.watch as unknown as Control, this.parts.presence as unknown as Control];
  }
}
