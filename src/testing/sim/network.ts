/**
 * A simulated network for tests: several simulated hosts (each a station of the remote layer, all
 * in this thread) joined by in-memory wires, where every delivery of a wire message is one step
 * and a seeded choice source picks which link delivers next. Messages on one link arrive in the
 * order sent (FIFO per link); across links, any interleaving the choices make. A run is replayed
 * exactly by its seed (or by the replay string of its choices), the way FoundationDB tests its
 * distributed core by deterministic simulation.
 *
 * The remote layer assumes reliable wires, so the network is reliable unless told otherwise. For
 * the layers that will make real links reliable (NATS), raw wires also take faults: a hook that
 * drops, duplicates or delays a message, partitions that hold a link's messages until healed, and
 * `sever`, which loses everything in flight on a link (a reconnect).
 *
 * Invariants:
 * - a link's queue is in send order, and only its head can be delivered;
 * - at most one pump step is queued at a time; tasks deferred through `defer` (link flushes) run
 *   before each delivery, in the order deferred;
 * - `settle()` resolves only when no task is deferred and no message can be delivered.
 */
import type { ChoiceSource } from '../choices.js';
import { encodeChoices } from '../choices.js';
import type { Wire } from '../../remote/wire.js';

/** What a fault hook decides for one message as it is about to be delivered. */
export type SimFate = 'deliver' | 'drop' | 'duplicate';

/** One message about to be delivered, as a fault hook sees it. */
export interface SimDelivery {
  readonly from: string;
  readonly to: string;
  /** Its position on its link (0, 1, 2, …). */
  readonly seq: number;
  readonly bytes: Uint8Array;
}

export interface SimNetworkOptions {
  /** Picks the link that delivers next (and delays); seed it to replay a run. */
  readonly choices: ChoiceSource;
  /** The largest wire message (default 64 KiB: small, so batching and splitting are exercised). */
  readonly maxMessageBytes?: number;
  /** A message may wait up to this many steps before it can be delivered (chosen per message; default 0). */
  readonly maxDelay?: number;
  /** Decides the fate of each message about to be delivered (default: every one is delivered once). */
  readonly fault?: (delivery: SimDelivery) => SimFate;
  /** Called after every step (to check invariants between deliveries). */
  readonly onStep?: () => void;
}

interface Queued {
  readonly bytes: Uint8Array;
  readonly seq: number;
  /** The step before which it cannot be delivered. */
  readonly ready: number;
}

/** One direction between two hosts: a queue, and the wire that receives from it. */
class SimLink {
  readonly queue: Queued[] = [];
  sent = 0;
  held = false;
  constructor(
    readonly from: string,
    readonly to: string,
    readonly receiver: SimWire,
  ) {}
}

/** One side of a simulated connection (a Wire). */
export class SimWire implements Wire {
  readonly maxMessageBytes: number;
  private handler: ((message: Uint8Array) => void) | null = null;
  private lostHandler: ((cause: Error) => void) | null = null;
  closed = false;
  /** The link this side sends on (set when the pair is made). */
  out: SimLink | null = null;

  constructor(
    private readonly network: SimNetwork,
    maxMessageBytes: number,
  ) {
    this.maxMessageBytes = maxMessageBytes;
  }

  send(message: Uint8Array): void {
    if (this.closed || this.out === null) return;
    this.network.enqueue(this.out, message);
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.handler = handler;
  }

  onLost(handler: (cause: Error) => void): void {
    this.lostHandler = handler;
  }

  close(): void {
    this.closed = true;
  }

  /** Delivers one message (a step of the network). */
  deliver(bytes: Uint8Array): void {
    if (!this.closed) this.handler?.(bytes);
  }

  /** The connection is lost with `cause` (told once). */
  lose(cause: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.lostHandler?.(cause);
  }
}

export class SimNetwork {
  readonly maxMessageBytes: number;
  private readonly links: SimLink[] = [];
  private readonly deferred: (() => void)[] = [];
  private readonly choices: ChoiceSource;
  private readonly maxDelay: number;
  private readonly fault: ((delivery: SimDelivery) => SimFate) | undefined;
  private readonly onStep: (() => void) | undefined;
  private pumpQueued = false;
  private step = 0;
  private readonly quiet = new Set<() => void>();
  private quietQueued = false;
  /** Every choice made, in order (replayable with ScriptedChoices). */
  readonly made: number[] = [];
  /** Wire messages delivered so far. */
  delivered = 0;

  constructor(options: SimNetworkOptions) {
    this.choices = options.choices;
    this.maxMessageBytes = options.maxMessageBytes ?? 64 * 1024;
    this.maxDelay = options.maxDelay ?? 0;
    this.fault = options.fault;
    this.onStep = options.onStep;
  }

  /** The seed of the choices, when seeded. */
  get seed(): number | undefined {
    return this.choices.seed;
  }

  /** The replay string of the choices made so far. */
  get replay(): string {
    return encodeChoices(this.made);
  }

  /** A connected pair of wires between hosts `a` and `b`: [a's side, b's side]. */
  pair(a: string, b: string): [SimWire, SimWire] {
    const wa = new SimWire(this, this.maxMessageBytes);
    const wb = new SimWire(this, this.maxMessageBytes);
    wa.out = new SimLink(a, b, wb);
    wb.out = new SimLink(b, a, wa);
    this.links.push(wa.out, wb.out);
    return [wa, wb];
  }

  /** Calls `listener` each time the network has nothing more to deliver; returns what stops it. */
  onQuiet(listener: () => void): () => void {
    this.quiet.add(listener);
    return () => this.quiet.delete(listener);
  }

  /** Runs `task` before the next delivery (what a link on this network flushes with). */
  readonly defer = (task: () => void): void => {
    this.deferred.push(task);
    this.queuePump();
  };

  /** Holds every message from `a` to `b` and back until `heal`. */
  partition(a: string, b: string): void {
    for (const link of this.between(a, b)) link.held = true;
  }

  heal(a: string, b: string): void {
    for (const link of this.between(a, b)) link.held = false;
    this.queuePump();
  }

  /** Loses everything in flight between `a` and `b` (a broken connection, before a reconnect). */
  sever(a: string, b: string): void {
    for (const link of this.between(a, b)) link.queue.length = 0;
  }

  /** Resolves once nothing is in flight and nothing more is being sent (every link flushed, every queue empty). */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 2; ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      quiet = this.busy() ? 0 : quiet + 1;
    }
  }

  /** Contract: `link` belongs to this network. */
  enqueue(link: SimLink, bytes: Uint8Array): void {
    const delay = this.maxDelay > 0 ? this.choose(this.maxDelay + 1) : 0;
    link.queue.push({ bytes, seq: link.sent++, ready: this.step + delay });
    this.queuePump();
  }

  private between(a: string, b: string): SimLink[] {
    return this.links.filter((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));
  }

  private busy(): boolean {
    return this.pumpQueued || this.deferred.length > 0 || this.links.some(deliverable);
  }

  private choose(n: number): number {
    if (n < 2) return 0;
    const c = this.choices.choose(n);
    this.made.push(c);
    return c;
  }

  private queuePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(this.pump);
  }

  /** One step: run the deferred tasks, then deliver the head of one link the choices pick. */
  private readonly pump = (): void => {
    this.pumpQueued = false;
    this.step++;
    for (let task = this.deferred.shift(); task !== undefined; task = this.deferred.shift()) task();
    const ready = this.links.filter((l) => deliverable(l) && (l.queue[0] as Queued).ready <= this.step);
    if (ready.length > 0) {
      const link = ready[this.choose(ready.length)] as SimLink;
      const head = link.queue.shift() as Queued;
      const fate = this.fault?.({ from: link.from, to: link.to, seq: head.seq, bytes: head.bytes }) ?? 'deliver';
      if (fate !== 'drop') {
        this.delivered++;
        link.receiver.deliver(head.bytes);
        if (fate === 'duplicate') link.receiver.deliver(head.bytes);
      }
    }
    this.onStep?.();
    if (this.deferred.length > 0 || this.links.some(deliverable)) this.queuePump();
    else if (this.quiet.size > 0 && !this.quietQueued) {
      this.quietQueued = true;
      setImmediate(() => {
        this.quietQueued = false;
        if (!this.busy()) for (const listener of [...this.quiet]) listener();
      });
    }
  };
}

function deliverable(link: SimLink): boolean {
  return !link.held && !link.receiver.closed && link.queue.length > 0;
}
