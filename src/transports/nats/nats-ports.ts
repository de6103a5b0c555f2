/**
 * Datagram ports over NATS subjects: one subscription per peer receives every other peer's link
 * datagrams, told apart by the subject's last token. A port is at most once, as core NATS is;
 * the reliable link above it makes it exactly once and ordered.
 */
import type { DatagramPort } from '../../remote/reliable-link.js';
import type { BusSubscription, NatsBus } from './nats-client.js';
import type { RunSubjects } from './subjects.js';

export class NatsPorts {
  private readonly ports = new Map<string, NatsPort>();
  private readonly sub: BusSubscription;
  /** Datagrams from peers with no port yet (a peer that contacts us first). */
  onUnknown: (from: string, datagram: Uint8Array) => void = () => {};

  constructor(
    private readonly bus: NatsBus,
    private readonly subjects: RunSubjects,
    readonly me: string,
  ) {
    this.sub = bus.subscribe(subjects.links(me), (m) => {
      const from = m.subject.slice(m.subject.lastIndexOf('.') + 1);
      const port = this.ports.get(from);
      if (port !== undefined) port.deliver(m.data);
      else this.onUnknown(from, m.data);
    });
  }

  /** The port to `peer` (made on first use). */
  to(peer: string): NatsPort {
    let port = this.ports.get(peer);
    if (port === undefined) {
      port = new NatsPort(this.bus, this.subjects.link(peer, this.me), () => this.ports.delete(peer));
      this.ports.set(peer, port);
    }
    return port;
  }

  close(): void {
    for (const port of [...this.ports.values()]) port.close();
    this.sub.unsubscribe();
  }
}

export class NatsPort implements DatagramPort {
  private handler: ((datagram: Uint8Array) => void) | null = null;
  private closed = false;

  constructor(
    private readonly bus: NatsBus,
    private readonly subject: string,
    private readonly forget: () => void,
  ) {}

  get maxBytes(): number {
    return this.bus.maxPayload;
  }

  send(datagram: Uint8Array): void {
    if (!this.closed) this.bus.publish(this.subject, datagram);
  }

  onReceive(handler: (datagram: Uint8Array) => void): void {
    this.handler = handler;
  }

  deliver(datagram: Uint8Array): void {
    if (!this.closed) this.handler?.(datagram);
  }

  close(): void {
    this.closed = true;
    this.forget();
  }
}
