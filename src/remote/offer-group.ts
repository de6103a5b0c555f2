/**
 * The offers one alt spread over several places makes in one place: its guards on channels
 * living here, each a *tentative* waiter in its channel's queue (core/waiter.ts). A channel never
 * completes a tentative waiter; it pokes it when an operation passes over it. The group then
 * looks for a partner and commits only while holding its alt's arbiter lock (arbiter.ts), with a
 * try-operation on the real end — so a guard commits only if the alt has not committed elsewhere,
 * and nothing is consumed from a guard that does not win.
 *
 * Two such alts meeting on one channel (one's input, the other's output): the group takes both
 * arbiters' locks, in key order (lockedBefore), so two homes locking the same two alts can never
 * wait for each other; then moves the value between the two offers.
 *
 * Invariants:
 * - at most one attempt per group is in progress (`busy`); an attempt commits only while
 *   holding every lock it needs, after checking again, synchronously, what it found;
 * - once `committed` (closed), no waiter of the group is queued and no claim of its handle waits;
 * - the group's first message to its arbiter (a claim or `idle`) is sent while it starts.
 */
import type { ChannelCore } from '../core/channel-core.js';
import type { End, Reader, Writer } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import type { WatchedChannel } from '../core/process-record.js';
import { Waiter, type Choice } from '../core/waiter.js';
import { lockedBefore, type ArbiterKey } from './arbiter.js';

/** The arbiter of a group's alt, as the group reaches it (in this station, or over a link). */
export interface ArbiterHandle {
  readonly key: ArbiterKey;
  /** Asks for the lock for guard `index`; `answer` is called once (false: the alt is over). */
  claim(index: number, answer: (granted: boolean) => void): number;
  /** Lets go of the lock taken by claim `ticket`, without committing. */
  miss(ticket: number): void;
  /** Commits, holding claim `ticket`: the alt won guard `index` (with `value` for an input). */
  commit(ticket: number, index: number, value: unknown): void;
  /** Commits, holding claim `ticket`: the alt fails with `error` (found on a guard). */
  fail(ticket: number, error: Error): void;
  /** First report: nothing is ready here now. */
  idle(): void;
  /** The group has closed: claims still waiting are answered false. */
  close(): void;
}

/** One guard offered here. */
export interface OfferSpec {
  readonly index: number;
  readonly position: number;
  readonly end: End<unknown>;
  /** The value an output guard offers. */
  readonly value: unknown;
}

interface Offer extends OfferSpec {
  waiter: Waiter | null;
  /** A termination or error met on this guard (it counts as ready). */
  error: Error | null;
}

/** What an offer may do now. */
type Readiness = { readonly kind: 'plain' } | { readonly kind: 'error'; readonly error: Error } | { readonly kind: 'partner'; readonly group: OfferGroup; readonly offer: Offer };

const PLAIN: Readiness = { kind: 'plain' };

export class OfferGroup implements Choice {
  readonly tentative = true;
  readonly operation = 'alt' as const;
  /** Other places may still complete the alt: never part of a deadlock seen here. */
  readonly escapable = true;
  committed = false;
  private readonly offers: Offer[];
  private busy = false;
  private poked = false;

  constructor(
    readonly handle: ArbiterHandle,
    offers: readonly OfferSpec[],
    /** Called once the group has closed (its place forgets it). */
    private readonly closed: () => void = () => {},
  ) {
    this.offers = offers.map((o) => ({ ...o, waiter: null, error: null })).sort((a, b) => a.position - b.position);
  }

  /** Queues the offers and sends the first report. */
  start(): void {
    for (const o of this.offers) {
      const w = new Waiter(o.value, this, o.index, o.end);
      try {
        o.end.core.enqueue(w);
        o.waiter = w;
      } catch (error) {
        o.error = error as Error;
      }
    }
    const found = this.find();
    if (found === null || (found.ready.kind === 'partner' && lockedBefore(found.ready.group.handle.key, this.handle.key))) this.handle.idle();
    if (found !== null) void this.attempt(found.offer, found.ready);
  }

  // ---- Choice: what its channels call -------------------------------------------------------

  poke(): void {
    if (this.poked || this.committed) return;
    this.poked = true;
    void Promise.resolve().then(() => {
      this.poked = false;
      this.retry();
    });
  }

  /** A channel never completes a tentative waiter: claim is only called by `fail`. */
  claim(): boolean {
    return false;
  }

  settle(): void {}

  /** Guard `index` met a termination (poison, retire) and left its queue: it counts as ready. */
  fail(index: number, error: Error): void {
    const o = this.offers.find((x) => x.index === index);
    if (o === undefined) return;
    o.waiter = null;
    o.error = error;
    this.poke();
  }

  channelsBlocking(): readonly WatchedChannel[] {
    return this.offers.map((o) => o.end.core);
  }

  abortWith(): void {}

  // ---- finding and committing ---------------------------------------------------------------

  /** Withdraws every offer (the alt committed elsewhere, or here). */
  close(): void {
    if (this.committed) return;
    this.committed = true;
    for (const o of this.offers) o.waiter?.leave();
    this.handle.close();
    this.closed();
  }

  private retry(): void {
    if (this.busy || this.committed) return;
    const found = this.find();
    if (found !== null) void this.attempt(found.offer, found.ready);
  }

  /** The first offer, in the alt's order, that may commit now. */
  private find(): { readonly offer: Offer; readonly ready: Readiness } | null {
    for (const o of this.offers) {
      const ready = this.readiness(o);
      if (ready !== null) return { offer: o, ready };
    }
    return null;
  }

  /** What `o` may do now, judged as the try-operation that would commit it. */
  private readiness(o: Offer): Readiness | null {
    if (o.error !== null) return { kind: 'error', error: o.error };
    const core = o.end.core;
    if (o.end.side === 'reader') {
      const blocker = core.readBlocker(o.end);
      if (blocker !== null) return { kind: 'error', error: blocker };
      if (core.buffer !== null && core.buffer.size > 0) return PLAIN;
      const partner = this.partnerIn(core.putters.head);
      if (partner !== null) return partner;
      return core.writersRetired ? { kind: 'error', error: new RetiredError('writers-retired', core.name) } : null;
    }
    const blocker = core.writeBlocker(o.end);
    if (blocker !== null) return { kind: 'error', error: blocker };
    const partner = this.partnerIn(core.takers.head);
    if (partner === PLAIN) return PLAIN;
    if (roomIn(core)) return PLAIN;
    return partner;
  }

  /** PLAIN if the queue holds a waiter that completes at once, else the first tentative one of another alt. */
  private partnerIn(head: Waiter | null): Readiness | null {
    let partner: Readiness | null = null;
    for (let w = head; w !== null; w = w.next) {
      const choice = w.choice;
      if (choice === this) continue;
      if (!(choice instanceof OfferGroup)) return PLAIN;
      if (partner === null && !choice.committed) {
        const offer = choice.offers.find((x) => x.waiter === w);
        if (offer !== undefined) partner = { kind: 'partner', group: choice, offer };
      }
    }
    return partner;
  }

  /** Takes the locks `ready` needs, checks again, and commits, or lets go and looks again. */
  private async attempt(o: Offer, ready: Readiness): Promise<void> {
    this.busy = true;
    const partner = ready.kind === 'partner' ? ready.group : null;
    const order: OfferGroup[] = partner === null ? [this] : lockedBefore(partner.handle.key, this.handle.key) ? [partner, this] : [this, partner];
    const held: { readonly group: OfferGroup; readonly ticket: number }[] = [];
    for (const g of order) {
      const index = g === this ? o.index : (ready as { offer: Offer }).offer.index;
      const got = await lock(g.handle, index);
      if (got === null) {
        // That alt is over (committed elsewhere): its offers here go.
        g.close();
        for (const h of held) h.group.handle.miss(h.ticket);
        this.busy = false;
        return this.retry();
      }
      held.push({ group: g, ticket: got });
    }
    const mine = (held.find((h) => h.group === this) as { ticket: number }).ticket;
    const theirs = held.find((h) => h.group !== this) ?? null;
    const now = this.committed ? null : this.readiness(o);
    if (now !== null && now.kind !== 'partner') {
      if (theirs !== null) theirs.group.handle.miss(theirs.ticket);
      if (this.commitPlain(o, now, mine)) return;
    } else if (now !== null && theirs !== null && now.group === theirs.group && !theirs.group.committed) {
      return this.commitPair(o, now.offer, mine, theirs.group, theirs.ticket);
    } else if (theirs !== null) theirs.group.handle.miss(theirs.ticket);
    this.handle.miss(mine);
    this.busy = false;
    this.retry();
  }

  /** Commits `o` with a try-operation (or the error it met); false if it could not go after all. */
  private commitPlain(o: Offer, ready: Readiness, ticket: number): boolean {
    if (ready.kind === 'error') {
      this.close();
      this.handle.fail(ticket, named(ready.error, o.index));
      return true;
    }
    try {
      if (o.end.side === 'reader') {
        const r = (o.end as unknown as Reader<unknown>).tryRead();
        if (!r.ok) return false;
        this.close();
        this.handle.commit(ticket, o.index, r.value);
      } else {
        const r = (o.end as unknown as Writer<unknown>).tryWrite(o.value);
        if (!r.ok) {
          if (r.reason === 'full') return false;
          this.close();
          this.handle.fail(ticket, named(new RetiredError('readers-retired', o.end.core.name), o.index));
          return true;
        }
        this.close();
        this.handle.commit(ticket, o.index, undefined);
      }
    } catch (error) {
      this.close();
      this.handle.fail(ticket, named(error as Error, o.index));
    }
    return true;
  }

  /** Two alts meet here: the value moves from the output offer to the input offer. */
  private commitPair(o: Offer, other: Offer, mine: number, group: OfferGroup, theirs: number): void {
    const input = o.end.side === 'reader' ? { offer: o, group: this as OfferGroup, ticket: mine } : { offer: other, group, ticket: theirs };
    const output = input.group === this ? { offer: other, group, ticket: theirs } : { offer: o, group: this as OfferGroup, ticket: mine };
    const core = o.end.core;
    if (core.stats !== null) core.stats.read++;
    this.close();
    group.close();
    input.group.handle.commit(input.ticket, input.offer.index, output.offer.value);
    output.group.handle.commit(output.ticket, output.offer.index, undefined);
  }
}

/** Claims `handle`'s lock for guard `index`: the ticket once granted, null if denied. */
function lock(handle: ArbiterHandle, index: number): Promise<number | null> {
  return new Promise((resolve) => {
    let ticket = 0;
    let answered: boolean | null = null;
    ticket = handle.claim(index, (granted) => {
      answered = granted;
      if (ticket !== 0) resolve(granted ? ticket : null);
    });
    if (answered !== null) resolve(answered ? ticket : null);
  });
}

/** True when a write would go into the buffer now (dropping and sliding buffers always take it). */
function roomIn(core: ChannelCore<unknown>): boolean {
  const buffer = core.buffer;
  if (buffer === null) return false;
  if (core.overflow !== 'wait' || buffer.size + core.reserved < buffer.capacity) return true;
  if (core.reserved > 0) core.onSqueeze?.();
  return false;
}

/** The error an alt rejects with for guard `index` (a PoisonError is copied, as the core's alt does). */
function named(error: Error, index: number): Error {
  const e = error instanceof PoisonError ? new PoisonError(error.reason, error.origin) : error;
  if (e instanceof RetiredError || e instanceof PoisonError) e.guardIndex = index;
  return e;
}
