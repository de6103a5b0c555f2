/**
 * A reliable, ordered link to one peer over a datagram port that may drop, duplicate or reorder
 * (core NATS publish is at most once, and loses messages across a reconnect). Above it, messages
 * arrive exactly once, in the order sent, while the peer lives; when it stops answering for the
 * whole lease, restarts, or closes, the link is lost once, with a LinkLostError saying why.
 *
 * How: a handshake (HELLO until WELCOME) so nothing is sent before the peer listens; sequence
 * numbers and cumulative acks (piggybacked on data, else a short delayed ACK); go-back-N
 * retransmission of everything unacknowledged on a timer with back-off, or at once when the peer
 * reports a gap; duplicates dropped by sequence; a window bounding what is in flight; a heartbeat
 * that both keeps the peer's lease and checks ours.
 *
 * Invariants:
 * - unacked holds the DATA packets acked+1 .. nextSeq-1, in order, and unacked.length <= window;
 * - received is the highest sequence delivered; a payload is delivered iff its seq == received+1;
 * - queued payloads are sent only once the peer's session is known (state 'open');
 * - once state is 'lost' or 'closed' nothing is sent or delivered and no timer is armed;
 * - once closing, nothing new is accepted or delivered; the link ends when unacknowledged is 0.
 */
import { LinkLostError, type LinkLostReason } from './link-errors.js';
import { ACK, BYE, controlPacket, DATA, DATA_HEADER_BYTES, dataPacket, HELLO, parsePacket, stampAck, WELCOME, type Packet } from './reliable-packet.js';

/** An unreliable path to one peer: datagrams may be lost, duplicated or reordered. */
export interface DatagramPort {
  /** The largest datagram the path carries, in bytes. */
  readonly maxBytes: number;
  send(datagram: Uint8Array): void;
  onReceive(handler: (datagram: Uint8Array) => void): void;
  close(): void;
}

/** Time, injected (the scheduler's timers in tests, the host's in production). */
export interface LinkTimers {
  setTimer(ms: number, fire: () => void): () => void;
  /** Milliseconds on a monotonic clock, for round-trip estimates; default performance.now(). */
  now?(): number;
}

export interface ReliableLinkOptions {
  /** The peer's name, for errors. */
  readonly peer: string;
  /** This side's session id: a non-zero u32, different for every link instance (injected: no hidden randomness). */
  readonly session: number;
  readonly timers: LinkTimers;
  /**
   * Retransmission timeout before any round trip was measured. Afterwards it follows the measured
   * round trip (smoothed mean + 4 deviations, as TCP does), never below minResendMs; it doubles on
   * each timeout up to maxResendMs. Defaults 500, 200, 2000. The handshake gives the first sample.
   */
  readonly resendMs?: number;
  readonly minResendMs?: number;
  readonly maxResendMs?: number;
  /** A heartbeat goes out this often when nothing else did. Default 1000. */
  readonly heartbeatMs?: number;
  /** The peer is lost after this long without a word from it. Default 5000. */
  readonly leaseMs?: number;
  /** Most DATA packets in flight. Default 256. */
  readonly window?: number;
  /** Delay of an ACK owed when no data goes back. Default 2 ms. */
  readonly ackDelayMs?: number;
}

type State = 'connecting' | 'open' | 'lost' | 'closed';

const EMPTY = new Uint8Array(0);

export class ReliableLink {
  /** The largest message `send` accepts, in bytes. */
  readonly maxMessageBytes: number;
  private state: State = 'connecting';
  private peerSession = 0;
  private nextSeq = 1;
  private acked = 0;
  private received = 0;
  private readonly unacked: Uint8Array[] = [];
  /** Payloads not yet sent: queued[queuedHead..] (an index, so taking one is O(1)). */
  private queued: Uint8Array[] = [];
  private queuedHead = 0;
  private readonly messageHandlers: ((message: Uint8Array) => void)[] = [];
  private readonly lostHandlers: ((cause: LinkLostError) => void)[] = [];
  private lostCause: LinkLostError | null = null;
  private backoff: number;
  private cancelResend: (() => void) | null = null;
  private cancelAck: (() => void) | null = null;
  private cancelBeat: (() => void) | null = null;
  private heard = false;
  private sentSinceBeat = false;
  private silentBeats = 0;
  /** The highest sequence acknowledged to the peer (alone or piggybacked). */
  private ackedOut = 0;
  /** Sender: a gap reported by the peer was answered by resending (once until progress). */
  private fastResent = false;
  /** Receiver: a gap was reported to the peer (once until it is filled). */
  private gapReported = false;
  private drained: (() => void)[] = [];
  /** close() was called: nothing more is sent or delivered; the link ends once what was sent is acknowledged. */
  private closing = false;
  private readonly minResendMs: number;
  private readonly maxResendMs: number;
  /** The timeout the next arming uses: `rto` after progress, doubled on each timeout. */
  private rto: number;
  private srtt = 0;
  private rttvar = 0;
  /** The packet being timed for a round-trip sample (none while a retransmission may blur it). */
  private timing: { readonly seq: number; readonly at: number } | null = null;
  private readonly now: () => number;
  private hellos = 0;
  private helloAt: number | null = null;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly window: number;
  private readonly ackDelayMs: number;

  constructor(
    private readonly port: DatagramPort,
    private readonly options: ReliableLinkOptions,
  ) {
    if (!Number.isInteger(options.session) || options.session <= 0 || options.session > 0xffffffff) {
      throw new RangeError(`ReliableLink: session must be a u32 > 0, got ${options.session}`);
    }
    this.maxMessageBytes = port.maxBytes - DATA_HEADER_BYTES;
    if (this.maxMessageBytes < 1) throw new RangeError(`ReliableLink: the port carries ${port.maxBytes} bytes, fewer than a header`);
    this.rto = options.resendMs ?? 500;
    this.minResendMs = options.minResendMs ?? 200;
    this.maxResendMs = options.maxResendMs ?? 2000;
    this.now = options.timers.now === undefined ? () => performance.now() : () => (options.timers.now as () => number)();
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 5000;
    this.window = options.window ?? 256;
    this.ackDelayMs = options.ackDelayMs ?? 2;
    this.backoff = this.rto;
    port.onReceive((datagram) => this.receive(datagram));
    this.hello();
    this.beat();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Messages sent and not yet acknowledged by the peer (queued or in flight). */
  get unacknowledged(): number {
    return this.unacked.length + this.queued.length - this.queuedHead;
  }

  /** Sends one message; delivered once, in order, while the peer lives. A no-op once lost or closed. */
  send(message: Uint8Array): void {
    if (message.byteLength > this.maxMessageBytes) {
      throw new RangeError(`a message of ${message.byteLength} bytes exceeds this link's limit of ${this.maxMessageBytes}`);
    }
    if (this.state === 'lost' || this.state === 'closed' || this.closing) return;
    this.queued.push(message);
    this.pump();
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.messageHandlers.push(handler);
  }

  /** `handler` runs once when the link is lost (at once if it already is). */
  onLost(handler: (cause: LinkLostError) => void): void {
    if (this.lostCause !== null) handler(this.lostCause);
    else this.lostHandlers.push(handler);
  }

  /** Resolves once everything sent so far is acknowledged (or the link has ended). */
  flushed(): Promise<void> {
    if (this.unacknowledged === 0) return Promise.resolve();
    if (this.state === 'lost' || this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** The transport learnt the peer is gone (e.g. no responders): lose the link now. */
  lose(reason: LinkLostReason, cause?: unknown): void {
    this.end('lost', new LinkLostError(this.options.peer, reason, cause));
  }

  /**
   * Closes this side: nothing more is delivered here, and what was sent is still delivered —
   * the link ends once the peer has acknowledged it (or after the lease), telling the peer (best
   * effort), which sees its link lost as 'peer-closed'.
   */
  close(): void {
    if (this.state === 'lost' || this.state === 'closed' || this.closing) return;
    this.closing = true;
    if (this.state !== 'open' || this.unacknowledged === 0) {
      this.finishClose();
      return;
    }
    const cancel = this.options.timers.setTimer(this.leaseMs, () => this.finishClose());
    this.drained.push(() => {
      cancel();
      this.finishClose();
    });
  }

  private finishClose(): void {
    if (this.state === 'lost' || this.state === 'closed') return;
    if (this.peerSession !== 0) this.port.send(controlPacket(BYE, this.options.session, this.peerSession, this.received));
    this.end('closed', null);
    this.port.close();
  }

  private end(state: 'lost' | 'closed', cause: LinkLostError | null): void {
    if (this.state === 'lost' || this.state === 'closed') return;
    this.state = state;
    for (const cancel of [this.cancelResend, this.cancelAck, this.cancelBeat]) cancel?.();
    this.cancelResend = this.cancelAck = this.cancelBeat = null;
    this.unacked.length = 0;
    this.queued = [];
    this.queuedHead = 0;
    for (const resolve of this.drained.splice(0)) resolve();
    if (cause === null) return;
    this.lostCause = cause;
    for (const handler of this.lostHandlers.splice(0)) handler(cause);
  }

  private hello(): void {
    // Only an unrepeated HELLO times the handshake (Karn, as for data).
    this.helloAt = this.helloAt === null && this.hellos === 0 ? this.now() : null;
    this.hellos++;
    this.port.send(controlPacket(HELLO, this.options.session, this.peerSession, this.received));
    this.armResend();
  }

  /** Sends queued payloads while the window has room. Contract: callable in any state. */
  private pump(): void {
    if (this.state !== 'open') return;
    while (this.queuedHead < this.queued.length && this.unacked.length < this.window) {
      const payload = this.queued[this.queuedHead] as Uint8Array;
      this.queued[this.queuedHead++] = EMPTY;
      const seq = this.nextSeq++;
      const packet = dataPacket(this.options.session, this.peerSession, seq, payload);
      this.unacked.push(packet);
      this.timing ??= { seq, at: this.now() };
      this.transmit(packet);
    }
    if (this.queuedHead === this.queued.length) {
      this.queued = [];
      this.queuedHead = 0;
    } else if (this.queuedHead > 4096 && this.queuedHead * 2 > this.queued.length) {
      this.queued = this.queued.slice(this.queuedHead);
      this.queuedHead = 0;
    }
    if (this.unacked.length > 0 && this.cancelResend === null) this.armResend();
  }

  private transmit(packet: Uint8Array): void {
    stampAck(packet, this.peerSession, this.received);
    this.port.send(packet);
    this.ackSent();
  }

  /** An ack for everything received has just left (alone or on data). */
  private ackSent(): void {
    this.ackedOut = this.received;
    this.sentSinceBeat = true;
    this.cancelAck?.();
    this.cancelAck = null;
  }

  private armResend(): void {
    this.cancelResend?.();
    this.cancelResend = this.options.timers.setTimer(this.backoff, () => {
      this.cancelResend = null;
      this.backoff = Math.min(this.backoff * 2, this.maxResendMs);
      if (this.state === 'connecting') this.hello();
      else if (this.state === 'open' && this.unacked.length > 0) this.resendAll();
    });
  }

  private resendAll(): void {
    // Karn: a packet sent twice gives no honest round-trip sample.
    this.timing = null;
    for (const packet of this.unacked) this.transmit(packet);
    this.armResend();
  }

  private beat(): void {
    this.cancelBeat = this.options.timers.setTimer(this.heartbeatMs, () => {
      this.cancelBeat = null;
      if (this.heard) this.silentBeats = 0;
      else this.silentBeats++;
      this.heard = false;
      if (this.silentBeats * this.heartbeatMs >= this.leaseMs) {
        this.lose('lease-expired');
        return;
      }
      if (this.state === 'open' && !this.sentSinceBeat) this.sendAck();
      this.sentSinceBeat = false;
      this.beat();
    });
  }

  private sendAck(): void {
    this.port.send(controlPacket(ACK, this.options.session, this.peerSession, this.received));
    this.ackSent();
  }

  private owe(): void {
    if (this.cancelAck !== null) return;
    if (this.received - this.ackedOut >= this.window >> 1) {
      this.sendAck();
      return;
    }
    this.cancelAck = this.options.timers.setTimer(this.ackDelayMs, () => {
      this.cancelAck = null;
      if (this.state === 'open') this.sendAck();
    });
  }

  private receive(datagram: Uint8Array): void {
    if (this.state === 'lost' || this.state === 'closed') return;
    const packet = parsePacket(datagram);
    // Not a packet, or meant for an earlier link of ours: nothing to do with this link.
    if (packet === null || (packet.to !== 0 && packet.to !== this.options.session)) return;
    if (!this.admit(packet)) return;
    this.heard = true;
    const progress = this.takeAck(packet.ack);
    switch (packet.kind) {
      case ACK:
        // No progress while data is in flight: the peer reports a gap; resend from it at once.
        if (!progress && this.unacked.length > 0 && !this.fastResent) {
          this.fastResent = true;
          this.resendAll();
        }
        return;
      case HELLO:
        this.port.send(controlPacket(WELCOME, this.options.session, this.peerSession, this.received));
        return;
      case DATA:
        this.data(packet);
        return;
      case BYE:
        this.end('lost', new LinkLostError(this.options.peer, 'peer-closed'));
        return;
      default:
        return;
    }
  }

  /** Learns or checks the peer's session; opens the link on first contact. False: drop the packet. */
  private admit(packet: Packet): boolean {
    if (this.peerSession !== 0 && packet.from !== this.peerSession) {
      // A different session from the same peer: it restarted. Unless it never knew us (HELLO
      // with to 0 from a stale incarnation would also be new), everything it held is gone.
      this.lose('peer-restarted');
      return false;
    }
    if (this.peerSession === 0) {
      // Only a HELLO, or a packet proving the peer knows our session, opens the link.
      if (packet.kind !== HELLO && packet.to !== this.options.session) return false;
      this.peerSession = packet.from;
      this.state = 'open';
      if (packet.kind === WELCOME && this.helloAt !== null) this.sample(this.now() - this.helloAt);
      this.backoff = this.rto;
      this.cancelResend?.();
      this.cancelResend = null;
      this.pump();
    }
    return true;
  }

  /** Drops what `ack` acknowledges; true if it acknowledged something new. */
  private takeAck(ack: number): boolean {
    if (!(ack > this.acked && ack < this.nextSeq)) return false;
    this.unacked.splice(0, ack - this.acked);
    this.acked = ack;
    if (this.timing !== null && ack >= this.timing.seq) {
      this.sample(this.now() - this.timing.at);
      this.timing = null;
    }
    this.backoff = this.rto;
    this.fastResent = false;
    this.cancelResend?.();
    this.cancelResend = null;
    this.pump();
    if (this.unacked.length > 0 && this.cancelResend === null) this.armResend();
    if (this.unacknowledged === 0) for (const resolve of this.drained.splice(0)) resolve();
    return true;
  }

  /** A measured round trip updates the timeout (RFC 6298's estimator). */
  private sample(rtt: number): void {
    if (this.srtt === 0) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    this.rto = Math.min(this.maxResendMs, Math.max(this.minResendMs, this.srtt + 4 * this.rttvar));
  }

  private data(packet: Packet): void {
    if (packet.seq !== this.received + 1) {
      // A duplicate (our ack was lost) or a gap (something before it was lost): tell the peer
      // where we are, once per gap, so it resends from there without waiting for its timer.
      if (packet.seq > this.received + 1) {
        if (this.gapReported) return;
        this.gapReported = true;
      }
      this.sendAck();
      return;
    }
    this.received = packet.seq;
    this.gapReported = false;
    if (this.closing) {
      this.owe();
      return;
    }
    try {
      for (const handler of this.messageHandlers) handler(packet.payload);
    } catch (error) {
      this.lose('handler-threw', error);
      return;
    }
    this.owe();
  }
}
