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
import { ProcessRecord, soleHolder } from '../../core/process-record.js';
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

type Control = ProcessEnd & { readonly alive?: boolean; readonly holders: readonly ProcessRecord[] };

export abstract class DurableEnd implements ProcessEnd {
  readonly [processEnd] = true as const;
  abstract readonly side: 'reader' | 'writer';
  holders: ProcessRecord[] = [];
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
  /** Holds the control ends while this end settles after its process let go (keepControls). */
  private readonly keeper: ProcessRecord;
  /** The ledger of the process that last held this end alone (kept after it ended: its publishes are still owed). */
  private lastLedger: Ledger | null = null;
  /** This end leaving gracefully: settled, and the home told (`leave`). */
  private leaving: Promise<void> = Promise.resolve();
  /** Operations queued and not yet finished: with none, an operation that needs no waiting may run at once. */
  protected queued = 0;
  /** The last queued operation of this end: operations run one at a time, in order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(protected readonly parts: DurableParts) {
    const channel = parts.spec.channel;
    this.keeper = new ProcessRecord(`durable ${parts.spec.side} of "${channel}"`, true);
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

  /** Resolves once this end, having left, has finished its publishes and acknowledgements and told the home. */
  settled(): Promise<void> {
    return this.leaving;
  }

  /** Refuses to be an alt guard. */
  offerTo(): never {
    throw new DurableAltError(this.parts.spec.channel);
  }

  /** The ledger of the process holding this end (of the last one after it ended; its own when held by several, or never by one). */
  protected ledger(): Ledger {
    const holder = soleHolder(this.holders);
    if (holder !== null) return (this.lastLedger = ledgerOf(holder));
    return this.holders.length === 0 && this.lastLedger !== null ? this.lastLedger : this.ownLedger;
  }

  /** Runs `op` after this end's earlier operations (FIFO per end). */
  protected serial<R>(op: () => Promise<R>): Promise<R> {
    this.queued++;
    const run = this.tail.then(op, op);
    const done = (): void => void this.queued--;
    this.tail = run.then(done, done);
    return run;
  }

  /** Throws what fails a publish already accepted: poison, or the home out of reach (an end that left still finishes its publishes). */
  protected live(): void {
    if (this.poisoned !== null) throw this.poisoned;
    if (this.cutOff !== null) throw this.cutOff;
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

  /**
   * Lets go of what this end holds (a reader acknowledges or gives back its messages, a writer
   * waits for its publishes); false if a publish of its process failed.
   */
  protected abstract settle(keep: boolean): Promise<boolean>;

  // The process holds this end before its control ends, so its end releases this one first (keepControls).
  giveTo(process: ProcessRecord): void {
    addHolder(this, process);
    for (const c of this.controls()) c.giveTo(process);
  }

  hold(process: ProcessRecord): void {
    addHolder(this, process);
    for (const c of this.controls()) c.hold(process);
  }

  release(process: ProcessRecord, ending: Ending): void {
    const sole = soleHolder(this.holders) === process;
    if (!removeHolder(this, process) || this.holders.length > 0) return;
    if (sole) {
      this.lastLedger = ledgerOf(process);
      this.lastLedger.end(ending.kind === 'retire');
    }
    if (ending.kind === 'retire') {
      this.keepControls();
      this.leave(() => this.releaseControls(this.keeper, ending));
    } else {
      this.poisonFrom(ending.reason, ending.origin);
      this.releaseControls(process, ending);
    }
  }

  retire(): void {
    if (!this.open) return;
    this.keepControls();
    this.leave(() => this.releaseControls(this.keeper, { kind: 'retire' }));
  }

  poison(reason?: unknown): void {
    this.poisonFrom(reason, undefined);
  }

  poisonFrom(reason: unknown, origin: Site | undefined): PoisonError | null {
    if (!this.open) return null;
    this.open = false;
    this.stopWatching.abort();
    void this.settle(false);
    return this.poisonControls(reason, origin);
  }

  private poisonControls(reason: unknown, origin: Site | undefined): PoisonError | null {
    const made = this.parts.watch as unknown as ProcessEnd;
    const error = made.poisonFrom(reason, origin ?? { channel: this.parts.spec.channel });
    (this.parts.presence as unknown as ProcessEnd).poisonFrom(reason, origin ?? { channel: this.parts.spec.channel });
    return error instanceof PoisonError ? error : null;
  }

  /**
   * This end leaves gracefully: what it holds is settled first, then `done` tells the home — or,
   * if a publish of its process failed, the channel is poisoned with that failure: a value
   * accepted and then lost fails the run, never silently.
   */
  private leave(done: () => void): void {
    if (!this.open) return;
    this.open = false;
    const ledger = this.ledger();
    this.leaving = this.serial(() => this.settle(true)).then(
      (ok) => {
        this.stopWatching.abort();
        const failure = ok ? null : ledger.error;
        if (failure === null || failure instanceof RetiredError) done();
        else this.poisonControls(failure, undefined);
      },
      () => {
        this.stopWatching.abort();
        done();
      },
    );
  }

  /** The channel was poisoned (seen on `watch`): remembered, and spread to the other control channel. */
  private spread(error: PoisonError): void {
    if (this.poisoned !== null) return;
    this.poisoned = error;
    void this.settle(false);
    (this.parts.presence as unknown as ProcessEnd).poisonFrom(error.reason, error.origin);
  }

  /**
   * The control ends pass from the processes holding them to this end's keeper: a process ending
   * (or retiring this end) must not tell the home this side has left while its publishes and
   * acknowledgements are still on their way; `leave` releases the keeper once they are done.
   */
  private keepControls(): void {
    for (const c of this.controls()) {
      c.hold(this.keeper);
      for (const h of [...c.holders]) if (h !== this.keeper) c.release(h, { kind: 'retire' });
    }
  }

  private releaseControls(process: ProcessRecord, ending: Ending): void {
    for (const c of this.controls()) c.release(process, ending);
  }

  private controls(): Control[] {
    return [this.parts.watch as unknown as Control, this.parts.presence as unknown as Control];
  }
}
