/**
 * A virtual world for link tests: virtual time, and datagram ports between two sides that drop,
 * duplicate and delay (hence reorder) datagrams as a seeded random source says. Nothing here
 * waits on the wall clock: `run` advances time event by event.
 */
import { mulberry32 } from '../../src/testing/choices.js';
import type { DatagramPort, LinkTimers } from '../../src/remote/reliable-link.js';

export interface Weather {
  /** Probability that a datagram is lost. */
  readonly drop: number;
  /** Probability that a datagram arrives twice. */
  readonly duplicate: number;
  /** Each copy arrives after a delay drawn in [0, maxDelayMs]. */
  readonly maxDelayMs: number;
}

interface Event {
  readonly at: number;
  readonly order: number;
  readonly fire: () => void;
  cancelled: boolean;
}

export class LossyWorld implements LinkTimers {
  time = 0;
  private events: Event[] = [];
  private order = 0;
  private readonly random: () => number;
  /** Datagrams cannot cross while true (a partition). */
  partitioned = false;

  constructor(
    seed: number,
    public weather: Weather,
  ) {
    this.random = mulberry32(seed);
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const event = this.at(this.time + ms, fire);
    return () => {
      event.cancelled = true;
    };
  }

  /** Runs events in time order until `done()` holds or virtual time passes `limitMs`. */
  run(done: () => boolean, limitMs: number): void {
    while (!done()) {
      const next = this.pop();
      if (next === undefined) return;
      if (next.at > limitMs) {
        this.push(next);
        return;
      }
      this.time = next.at;
      if (!next.cancelled) next.fire();
    }
  }

  /** The events form a binary heap ordered by (at, order). */
  private before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(event: Event): void {
    const h = this.events;
    h.push(event);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i] as Event, h[parent] as Event)) break;
      [h[i], h[parent]] = [h[parent] as Event, h[i] as Event];
      i = parent;
    }
  }

  private pop(): Event | undefined {
    const h = this.events;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l] as Event, h[m] as Event)) m = l;
      if (r < h.length && this.before(h[r] as Event, h[m] as Event)) m = r;
      if (m === i) return top;
      [h[i], h[m]] = [h[m] as Event, h[i] as Event];
      i = m;
    }
  }

  /** Two connected ports, each `maxBytes` wide. */
  ports(maxBytes: number): [WorldPort, WorldPort] {
    const a = new WorldPort(this, maxBytes);
    const b = new WorldPort(this, maxBytes);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  carry(datagram: Uint8Array, to: WorldPort): void {
    if (this.partitioned || this.random() < this.weather.drop) return;
    const copies = this.random() < this.weather.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const copy = datagram.slice();
      this.at(this.time + Math.floor(this.random() * (this.weather.maxDelayMs + 1)), () => to.deliver(copy));
    }
  }

  private at(time: number, fire: () => void): Event {
    const event: Event = { at: time, order: this.order++, fire, cancelled: false };
    this.push(event);
    return event;
  }
}

export class WorldPort implements DatagramPort {
  peer: WorldPort | null = null;
  private handler: ((datagram: Uint8Array) => void) | null = null;
  closed = false;
  sent = 0;

  constructor(
    private readonly world: LossyWorld,
    readonly maxBytes: number,
  ) {}

  send(datagram: Uint8Array): void {
    if (this.closed || this.peer === null) return;
    this.sent++;
    this.world.carry(datagram, this.peer);
  }

  onReceive(handler: (datagram: Uint8Array) => void): void {
    this.handler = handler;
  }

  deliver(datagram: Uint8Array): void {
    if (!this.closed) this.handler?.(datagram);
  }

  close(): void {
    this.closed = true;
  }
}
