/**
 * The home side of alts spread over several places (docs/decisions/0014-alt-across-homes.md):
 * one OfferGroup per `alt-offer` from the link's peer, whose arbiter is reached over the link
 * (claims go out as `alt-claim`, the lock comes back as `alt-grant`). A `cancel` naming the offer
 * withdraws it: the alt committed elsewhere.
 *
 * Invariant: `groups` holds every group of this link that has not closed.
 */
import type { ReaderEnd, WriterEnd } from '../core/ends.js';
import type { ArbiterKey } from './arbiter.js';
import { decodeValues, encodeValues, isFault } from './codec-faults.js';
import type { HomeChannel } from './home-channels.js';
import type { OpHost } from './home-ops.js';
import { OfferGroup, type ArbiterHandle, type OfferSpec } from './offer-group.js';
import type { AltGrant, AltOffer, Answer } from './protocol.js';

export class HomeOffers {
  private readonly groups = new Map<number, { readonly group: OfferGroup; readonly handle: LinkHandle }>();

  constructor(private readonly host: OpHost) {}

  offer(m: AltOffer): void {
    const specs: OfferSpec[] = [];
    const channels = new Map<number, HomeChannel>();
    for (let index = 0; index < m.guards.length; index++) {
      const g = m.guards[index];
      if (g === undefined || (g.kind !== 'input' && g.kind !== 'output')) continue;
      const he = this.host.endFor(g.end, m.op, g.kind === 'input' ? 'reader' : 'writer');
      if (he === null) return;
      const position = m.positions[index] ?? index;
      if (g.kind === 'input') {
        specs.push({ index, position, end: he.end as ReaderEnd<unknown>, value: undefined });
        channels.set(index, he.ch);
      } else {
        const values = decodeValues(he.ch, g.data, this.host.report);
        if (isFault(values)) return this.host.tell({ kind: 'failed', op: m.op, error: this.host.toWire(values.poison), aborted: false, credit: 0 });
        // The proxy gave its credit back with the offer: the space it held is free for it.
        he.ch.credit.returned(he);
        specs.push({ index, position, end: he.end as WriterEnd<unknown>, value: values[0] });
      }
    }
    const handle = new LinkHandle({ station: m.station, seq: m.seq }, m.op, this.host, channels);
    const group = new OfferGroup(handle, specs, () => this.groups.delete(m.op));
    this.groups.set(m.op, { group, handle });
    group.start();
  }

  grant(m: AltGrant): void {
    const entry = this.groups.get(m.op);
    if (entry !== undefined) entry.handle.answer(m.claim, m.granted);
    else if (m.granted) this.host.tell({ kind: 'alt-miss', op: m.op, claim: m.claim });
  }

  /** A cancel for `op`: true if it named an offer (now withdrawn). */
  withdraw(op: number): boolean {
    const entry = this.groups.get(op);
    if (entry === undefined) return false;
    entry.group.close();
    return true;
  }

  /** The link is lost: every offer goes. */
  close(): void {
    for (const { group } of [...this.groups.values()]) group.close();
  }
}

/** An alt's arbiter at the other end of the link. */
class LinkHandle implements ArbiterHandle {
  private next = 1;
  private closed = false;
  private readonly waiting = new Map<number, (granted: boolean) => void>();

  constructor(
    readonly key: ArbiterKey,
    private readonly op: number,
    private readonly host: OpHost,
    /** The channel of each input guard (its value is encoded by the channel's codec). */
    private readonly channels: ReadonlyMap<number, HomeChannel>,
  ) {}

  claim(index: number, answer: (granted: boolean) => void): number {
    const ticket = this.next++;
    if (this.closed) {
      answer(false);
      return ticket;
    }
    this.waiting.set(ticket, answer);
    this.tell({ kind: 'alt-claim', op: this.op, claim: ticket, index });
    return ticket;
  }

  answer(ticket: number, granted: boolean): void {
    const waiting = this.waiting.get(ticket);
    this.waiting.delete(ticket);
    if (waiting !== undefined) waiting(granted);
    else if (granted) this.miss(ticket);
  }

  miss(ticket: number): void {
    this.tell({ kind: 'alt-miss', op: this.op, claim: ticket });
  }

  commit(ticket: number, index: number, value: unknown): void {
    const ch = this.channels.get(index);
    if (ch === undefined) return this.tell({ kind: 'alt-done', op: this.op, index, data: null });
    this.host.checkDrained(ch);
    const parts = encodeValues(ch, [value], this.host.maxDataBytes, this.host.report);
    if (isFault(parts)) return this.fail(ticket, parts.poison);
    this.tell({ kind: 'alt-done', op: this.op, index, data: parts[0] as Uint8Array });
  }

  fail(_ticket: number, error: Error): void {
    this.tell({ kind: 'failed', op: this.op, error: this.host.toWire(error), aborted: false, credit: 0 });
  }

  idle(): void {
    this.tell({ kind: 'alt-idle', op: this.op });
  }

  close(): void {
    this.closed = true;
    for (const answer of this.waiting.values()) answer(false);
    this.waiting.clear();
  }

  private tell(m: Answer): void {
    this.host.tell(m);
  }
}
