/**
 * Proxy ends: a Reader or Writer whose channel lives at a peer (its home). Blocking operations
 * become requests the home performs on a real core end held for the proxy, and settle on its
 * answer, so they are exact. Try-operations and making ends never ask: they answer at once from
 * what the proxy knows (docs/semantics.md, rule C7r) — a try may fail for want of knowing, never
 * succeed wrongly. Holding, giving and releasing ends use the core's holder bookkeeping
 * (core/holding.ts) and tell the home, where a stand-in holds the real end.
 *
 * Invariants:
 * - state moves OPEN -> RETIRED or OPEN -> POISONED, never back (as a core end's);
 * - `refusal` is set once, when the home could not make the end; every operation then fails with it;
 * - a process holding this end is known to the home by a pid before any operation it makes.
 */
import type { AltPlace, Offerable } from '../core/alt.js';
import { OPEN, POISONED, RETIRED } from '../core/channel-core.js';
import { processEnd, type Ending, type ProcessEnd } from '../core/ends.js';
import { abortError, PoisonError, RetiredError, type Site } from '../core/errors.js';
import { addHolder, removeHolder } from '../core/holding.js';
import { soleHolder, type ProcessRecord } from '../core/process-record.js';
import type { OpenBatch } from './link.js';
import type { ChannelState } from './proxy-channel.js';
import type { Answer, Request, WireValue } from './protocol.js';

/** An answer, with the value batches of a read answered in several parts. */
export interface Reply {
  readonly answer: Answer;
  readonly parts: readonly Uint8Array[];
}

/** What proxies need of the client side of their link. */
export interface ProxyHost {
  /** Where the channels of this link live (alts over these proxies run there). */
  readonly place: AltPlace;
  /** The largest encoded value batch one message carries on this link. */
  readonly maxDataBytes: number;
  /** True when a value's size is checked at the write (a link with a small message limit). */
  readonly measureEach: boolean;
  send(message: Request): void;
  /**
   * This side let go of an end of `channel`: its writers stop writing ahead until the home has
   * seen it (see ChannelState.suspectUntil).
   */
  suspect(channel: ChannelState): void;
  /** Adds values written on credit (or handed out of those read ahead) by `owner` to the batch leaving with the next message. */
  gather(owner: unknown, values: readonly unknown[], open: () => OpenBatch): void;
  /**
   * Sends the request made by `make(op)` and settles with its answer; aborting `signal` sends a
   * cancel. `onAnswer` sees the answer as it arrives, before anything after it on the link (what
   * it carries — credit — must count before a later message, a revoke, is served).
   */
  call(make: (op: number) => Request, signal: AbortSignal | undefined, onAnswer?: (answer: Answer) => void): Promise<Reply>;
  pidOf(process: ProcessRecord): number;
  adopt(process: ProcessRecord, pid: number): void;
  /** A token for a poison reason sent from here (a PoisonError coming back carries the very object). */
  remember(reason: unknown): number;
  toWire(value: unknown): WireValue;
  /** An error or value that came from the home, rebuilt (and marked with the peer). */
  rebuild(wire: WireValue): unknown;
  /** `end` has left (retired or poisoned here): nothing more needs telling it. */
  forget(end: ProxyEnd<unknown>): void;
}

export abstract class ProxyEnd<T> implements ProcessEnd, Offerable {
  readonly [processEnd] = true as const;
  abstract readonly side: 'reader' | 'writer';
  state = OPEN;
  holders: ProcessRecord[] = [];
  /** The process that made this end while starting (see core End.giveTo), until it gives it away. */
  maker: ProcessRecord | null = null;
  /** Why the home could not make this end (its side had retired): every operation fails with it. */
  refusal: Error | null = null;
  /** The poison this end sent, until the home tells which poison the channel has. */
  private ownPoison: PoisonError | null = null;
  /** A pid the home already holds this end for (a process it spawned here); taken by the first holder. */
  private preheld: number | null;

  constructor(
    readonly host: ProxyHost,
    readonly id: number,
    readonly channel: ChannelState,
    preheld: number | null,
  ) {
    this.preheld = preheld;
  }

  get channelName(): string {
    return this.channel.name;
  }

  get alive(): boolean {
    return this.state === OPEN;
  }

  get place(): AltPlace {
    return this.host.place;
  }

  /** Never called: an alt whose channel guards are proxies of one place runs there, whole. */
  offerTo(): never {
    throw new TypeError(`alt: the end of channel "${this.channel.name}" lives in ${this.host.place.description}; its alt runs there`);
  }

  /**
   * What a try-operation must throw now, from what this side knows: the refusal, the channel's
   * poison, or this end's own retirement (its own poison until the home says which won).
   */
  protected tryBlocker(): Error | null {
    if (this.refusal !== null) return this.refusal;
    if (this.channel.poisoned !== null) return this.channel.poisoned;
    if (this.state === OPEN) return null;
    return this.ownPoison ?? new RetiredError('end-retired', this.channel.name);
  }

  /** The error of a failed answer; an abort the home confirmed becomes the signal's own reason. */
  protected failure(answer: Answer, signal: AbortSignal | undefined): unknown {
    if (answer.kind !== 'failed') return new TypeError(`unexpected "${answer.kind}" answer`);
    const error = answer.aborted && signal !== undefined ? abortError(signal) : this.host.rebuild(answer.error);
    this.learn(error);
    return error;
  }

  /** An error an operation met says something permanent about the channel: remember it for try-operations. */
  protected learn(error: unknown): void {
    if (error instanceof PoisonError) {
      this.channel.poisoned ??= error;
      this.channel.dropCredit();
    } else if (error instanceof RetiredError) {
      if (error.why === 'writers-retired') this.channel.writersRetired = this.channel.drained = true;
      else if (error.why === 'readers-retired') {
        this.channel.readersRetired = true;
        this.channel.dropCredit();
      }
    }
  }

  /**
   * This side let go of this end (retired, poisoned, last holder gone): that may end the channel
   * for writers, so none of this side's writers on it writes ahead until the home has seen it.
   */
  private dropCredit(): void {
    this.channel.dropCredit();
    this.host.suspect(this.channel);
  }

  retire(): void {
    if (this.state !== OPEN) return;
    this.state = RETIRED;
    this.dropCredit();
    this.host.send({ kind: 'retire', end: this.id });
    this.host.forget(this);
  }

  poison(reason?: unknown): void {
    this.poisonFrom(reason, undefined);
  }

  poisonFrom(reason: unknown, origin: Site | undefined): PoisonError | null {
    if (this.state !== OPEN) return null;
    this.state = POISONED;
    this.dropCredit();
    this.ownPoison = new PoisonError(reason, origin ?? { channel: this.channel.name, process: soleHolder(this.holders)?.name });
    this.host.send({ kind: 'poison', end: this.id, reason: this.host.toWire(reason), token: this.host.remember(reason) });
    this.host.forget(this);
    return null;
  }

  /** As core End.giveTo: a process given an end its maker made takes it over. */
  giveTo(process: ProcessRecord): void {
    const maker = this.maker;
    this.hold(process);
    if (maker !== null && maker !== process) {
      this.maker = null;
      // The new holder is registered first, so at the home this only drops the maker.
      removeHolder(this, maker);
      this.host.send({ kind: 'release', end: this.id, pid: this.host.pidOf(maker), ending: { kind: 'retire' } });
    }
  }

  hold(process: ProcessRecord): void {
    if (!addHolder(this, process)) return;
    if (this.preheld !== null) {
      this.host.adopt(process, this.preheld);
      this.preheld = null;
      return;
    }
    this.host.send({ kind: 'hold', end: this.id, pid: this.host.pidOf(process), name: process.name, keeper: process.keeper });
  }

  release(process: ProcessRecord, ending: Ending): void {
    if (!removeHolder(this, process)) return;
    const pid = this.host.pidOf(process);
    if (this.holders.length === 0) this.dropCredit();
    if (ending.kind === 'retire') this.host.send({ kind: 'release', end: this.id, pid, ending: { kind: 'retire' } });
    else {
      const origin = ending.origin === undefined ? null : { channel: ending.origin.channel, process: ending.origin.process ?? null };
      this.host.send({ kind: 'release', end: this.id, pid, ending: { kind: 'poison', reason: this.host.toWire(ending.reason), origin, token: this.host.remember(ending.reason) } });
    }
    if (this.holders.length === 0 && this.state === OPEN) {
      this.state = ending.kind === 'retire' ? RETIRED : POISONED;
      if (ending.kind === 'poison') this.ownPoison = new PoisonError(ending.reason, ending.origin ?? { channel: this.channel.name, process: process.name });
      this.host.forget(this);
    }
  }
}
