/**
 * Datagram ports over NATS subjects: one subscription per peer receives every other peer's link
 * datagrams, told apart by the subject's last token. A port is at most once, as core NATS is;
 * the reliable link above it makes it exactly once and ordered.
 *
 * Liveness for free: every datagram is published with a reply subject, so when nobody is
 * subscribed to the peer's subject any more (its process died and its connection with it), the
 * server answers at once with a 503 status. One 503 makes the peer *suspect*; it is declared gone
 * only if nothing is heard from it for `confirmMs` after that — a peer reconnecting after a server
 * restart or a cluster failover is briefly without a subscription too, and must not be given up.
 *
 * Invariant: a port reports gone at most once, and never after it heard from the peer since
 * the suspicion began.
 */
import type { DatagramPort, LinkTimers } from '../../remote/reliable-link.js';
import type { BusSubscription, NatsBus } from './nats-client.js';
import type { RunSubjects } from './subjects.js';

const NO_RESPONDERS = 503;

export interface NatsPortsOptions {
  readonly timers: LinkTimers;
  /** How long a peer that got a 503 may stay silent before it is declared gone. Default 1500 ms. */
  readonly confirmMs?: number;
}

export class NatsPorts {
  private readonly ports = new Map<string, NatsPort>();
  private readonly subs: BusSubscription[];
  private readonly inbox: string;
  /** Datagrams from peers with no port yet (a peer that contacts us first). */
  onUnknown: (from: string, datagram: Uint8Array) => void = () => {};

  constructor(
    private readonly bus: NatsBus,
    private readonly subjects: RunSubjects,
    readonly me: string,
    private readonly options: NatsPortsOptions,
  ) {
    this.inbox = bus.inbox();
    const lastToken = (subject: string): string => subject.slice(subject.lastIndexOf('.') + 1);
    this.subs = [
      bus.subscribe(subjects.links(me), (m) => {
        const from = lastToken(m.subject);
        const port = this.ports.get(from);
        if (port !== undefined) port.deliver(m.data);
        else this.onUnknown(from, m.data);
      }),
      bus.subscribe(`${this.inbox}.*`, (m) => {
        if (m.status === NO_RESPONDERS) this.ports.get(lastToken(m.subject))?.noResponders();
      }),
    ];
  }

  /** The port to `peer` (made on first use). */
  to(peer: string): NatsPort {
    let port = this.ports.get(peer);
    if (port === undefined) {
      const made: NatsPort = new NatsPort(this.bus, this.subjects.link(peer, this.me), `${this.inbox}.${peer}`, this.options, () => {
        // A peer lost and asked back has a new port by now: only this one is forgotten.
        if (this.ports.get(peer) === made) this.ports.delete(peer);
      });
      port = made;
      this.ports.set(peer, port);
    }
    return port;
  }

  close(): void {
    for (const port of [...this.ports.values()]) port.close();
    for (const sub of this.subs) sub.unsubscribe();
  }
}

export class NatsPort implements DatagramPort {
  private handler: ((datagram: Uint8Array) => void) | null = null;
  private goneHandler: (() => void) | null = null;
  private closed = false;
  private suspect = false;
  private heardSinceSuspect = false;
  private cancelConfirm: (() => void) | null = null;

  constructor(
    private readonly bus: NatsBus,
    private readonly subject: string,
    private readonly probe: string,
    private readonly options: NatsPortsOptions,
    private readonly forget: () => void,
  ) {}

  get maxBytes(): number {
    return this.bus.maxPayload;
  }

  send(datagram: Uint8Array): void {
    if (!this.closed) this.bus.publish(this.subject, datagram, this.probe);
  }

  onReceive(handler: (datagram: Uint8Array) => void): void {
    this.handler = handler;
  }

  /** `handler` runs once if the peer is confirmed gone (no subscriber, then silence). */
  onGone(handler: () => void): void {
    this.goneHandler = handler;
  }

  deliver(datagram: Uint8Array): void {
    if (this.closed) return;
    if (this.suspect) this.heardSinceSuspect = true;
    this.handler?.(datagram);
  }

  noResponders(): void {
    if (this.closed || this.suspect) return;
    this.suspect = true;
    this.heardSinceSuspect = false;
    this.cancelConfirm = this.options.timers.setTimer(this.options.confirmMs ?? 1_500, () => {
      this.cancelConfirm = null;
      this.suspect = false;
      if (this.heardSinceSuspect || this.closed) return;
      const gone = this.goneHandler;
      this.goneHandler = null;
      gone?.();
    });
  }

  close(): void {
    this.closed = true;
    this.cancelConfirm?.();
    this.cancelConfirm = null;
    this.forget();
  }
}
