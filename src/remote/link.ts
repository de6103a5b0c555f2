/**
 * A Link is one station's side of a wire to one peer. Going out, it gathers the messages sent
 * during one turn of the event loop and packs them, in order, into as few wire messages as fit
 * the wire's `maxMessageBytes`. Coming in, it unpacks each wire message, checks every message's
 * shape (protocol.ts) and hands it to its handler by kind: requests (to homes), answers and
 * notices (to proxies), process messages (to the station).
 *
 * Nothing that arrives can throw out of the link: bytes that do not decode, a malformed message,
 * a handler that fails — each becomes a ProtocolError told to the handler's `fault`, and the link
 * goes on with the next message.
 *
 * A batch with values moved beside it (codec/transfer.ts) is preceded by an `attach` message in
 * the same wire message: on a wire that moves memory the buffers go as its transfer list, in
 * order; on one that cannot, their bytes are in the `attach` message (a copy). Coming in, the
 * buffers are attached again to the next message's `data`.
 *
 * Invariants:
 * - messages leave in the order `send` / `gather` were called, and `hello` leaves first;
 * - an `attach` and the message it belongs to travel in one wire message; no buffer is in one
 *   wire message's transfer list twice, nor detached when it is sent;
 * - every wire message sent holds whole messages and is at most `maxMessageBytes` long;
 * - at most one flush is queued at a time (`flushQueued`);
 * - until the peer's `hello` has arrived, nothing but a `hello` is served.
 */
import { JOIN_OVERHEAD, messagePacker, type MessagePacker } from '../codec/msgpack.js';
import { attach, attached, isDetached, TransferError, type Moved } from '../codec/transfer.js';
import { FrameTooLargeError, ProtocolError } from './errors.js';
import { encodeMessage, isAnswer, isRequest, parseMessage, PROTOCOL_VERSION, type Answer, type Attach, type Message, type ProcessMessage, type Request } from './protocol.js';
import { MIN_MESSAGE_BYTES, type Wire } from './wire.js';

/** Room kept in a message for everything but a value batch's bytes (kind, ids, counts, headers). */
export const FRAME_OVERHEAD = 256;

/** Who is told what arrives on a link. */
export interface LinkHandler {
  request(message: Request): void;
  answer(message: Answer): void;
  process(message: ProcessMessage): void;
  /** A message (or wire message) that could not be served; the link goes on. */
  fault(error: ProtocolError): void;
  /** The wire is lost; called once. */
  lost(cause: Error): void;
}

/**
 * Values written on credit by one end, gathered while nothing else is sent on the link: they
 * leave as write messages of one encoded batch each. `close` encodes them (splitting the batch
 * when it does not fit one message). A reader gathers the values it hands out of those lent to it
 * the same way: they leave as one `taken` message.
 */
export interface OpenBatch {
  readonly owner: unknown;
  readonly values: unknown[];
  close(): Request[];
}

export interface LinkOptions {
  /** This station's peer id (sent in `hello`). */
  readonly self: string;
  /** The peer's id, for errors. */
  readonly peer: string;
  /** Runs `task` after the current turn of the event loop (default: setImmediate). */
  readonly defer?: (task: () => void) => void;
}

/** Values per gathered batch: big enough to amortise, small enough to pipeline with the reader. */
const MAX_GATHER = 8192;

/** Messages of deadlock detection: not counted as traffic (they change no process's state). */
const UNCOUNTED: ReadonlySet<string> = new Set(['hello', 'wait-ask', 'wait-report', 'deadlock']);

export class Link {
  readonly peer: string;
  /** This station's peer id. */
  readonly self: string;
  /**
   * Messages packed to send and messages served, deadlock detection's own aside: a cut of the
   * run taken when every link is `quiet` and each link's counts agree on both sides has nothing
   * in flight.
   */
  sentCount = 0;
  receivedCount = 0;
  /** The largest value batch (encoded bytes) one message can carry. */
  readonly maxDataBytes: number;
  private readonly packer: MessagePacker = messagePacker();
  private readonly defer: (task: () => void) => void;
  private out: (Message | OpenBatch)[] = [];
  private batch: OpenBatch | null = null;
  private flushQueued = false;
  private closed = false;
  private greeted = false;
  /** Wire messages that arrived while paused, in order. */
  private held: (readonly [Uint8Array, readonly ArrayBuffer[] | undefined])[] | null = null;
  private handler: LinkHandler | null = null;

  constructor(
    readonly wire: Wire,
    options: LinkOptions,
  ) {
    if (!(wire.maxMessageBytes >= MIN_MESSAGE_BYTES)) {
      throw new RangeError(`a wire's maxMessageBytes must be at least ${MIN_MESSAGE_BYTES}, got ${wire.maxMessageBytes}`);
    }
    this.peer = options.peer;
    this.self = options.self;
    this.maxDataBytes = wire.maxMessageBytes - FRAME_OVERHEAD;
    this.defer = options.defer ?? ((task) => setImmediate(task));
    wire.onMessage((bytes, moved) => this.arrive(bytes, moved));
    wire.onLost((cause) => {
      this.closed = true;
      this.handler?.lost(cause);
    });
    this.send({ kind: 'hello', version: PROTOCOL_VERSION, peer: options.self });
  }

  /** Nothing waits to be packed and sent (counts are up to date with what this side has done). */
  get quiet(): boolean {
    return this.out.length === 0 && this.batch === null;
  }

  get maxMessageBytes(): number {
    return this.wire.maxMessageBytes;
  }

  /** Runs `task` after the current turn of the event loop (as a flush runs). */
  later(task: () => void): void {
    this.defer(task);
  }

  /** Sets who is told what arrives. Contract: called once, before anything arrives (or while paused). */
  serve(handler: LinkHandler): void {
    this.handler = handler;
  }

  send(message: Message): void {
    if (this.closed) return;
    this.closeBatch();
    this.out.push(message);
    this.queueFlush();
  }

  /**
   * Adds values written on credit by `owner` to the batch being gathered, or starts one (`open`
   * makes it; it takes its place among the messages sent now).
   */
  gather(owner: unknown, values: readonly unknown[], open: () => OpenBatch): void {
    if (this.closed) return;
    let batch = this.batch;
    if (batch === null || batch.owner !== owner || batch.values.length >= MAX_GATHER) {
      this.closeBatch();
      batch = open();
      this.batch = batch;
      this.out.push(batch);
      this.queueFlush();
    }
    for (const v of values) batch.values.push(v);
  }

  private closeBatch(): void {
    this.batch = null;
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.defer(this.flush);
  }

  /** Sends everything queued now. */
  readonly flush = (): void => {
    this.flushQueued = false;
    this.batch = null;
    if (this.out.length === 0 || this.closed) return;
    const out = this.out;
    this.out = [];
    for (const item of out) {
      if ('close' in item) for (const m of item.close()) this.put(m);
      else this.put(item);
    }
    this.emit();
  };

  /** The wire message being made by a flush: packed messages, their bytes and count. */
  private parts: Uint8Array[] = [];
  private size = 0;
  private count = 0;
  /** The buffers moved with the wire message being made (its transfer list). */
  private moving: ArrayBuffer[] = [];
  private readonly one: Uint8Array[] = [];

  /** Adds `message` to the wire message being made, sending that first if the message would not fit. */
  private put(message: Message): void {
    const max = this.wire.maxMessageBytes - JOIN_OVERHEAD;
    const one = this.one;
    one.length = 0;
    const data = 'data' in message ? message.data : null;
    const moved = data instanceof Uint8Array ? attached(data) : undefined;
    let bytes = 0;
    let count = 1;
    let buffers: ArrayBuffer[] | null = null;
    if (moved !== undefined) {
      const issue = this.unmovable(moved);
      if (issue !== null) {
        this.handler?.fault(new ProtocolError(this.peer, `a "${message.kind}" message could not be sent`, issue));
        return;
      }
      const moves = this.wire.moves === true;
      if (moves) buffers = moved.map((m) => m.buffer as ArrayBuffer);
      const head: Attach = { kind: 'attach', moved: moved.map((m) => [m.at, m.kind, moves ? null : new Uint8Array(m.buffer as ArrayBuffer)]) };
      bytes += this.packer.pack(encodeMessage(head), one);
      count++;
    }
    bytes += this.packer.pack(encodeMessage(message), one);
    if (bytes > max) {
      this.handler?.fault(unsendable(this.peer, message, bytes, max));
      return;
    }
    if (!UNCOUNTED.has(message.kind)) this.sentCount++;
    if (this.size + bytes > max) this.emit();
    for (const part of one) this.parts.push(part);
    this.size += bytes;
    this.count += count;
    if (buffers !== null) for (const b of buffers) this.moving.push(b);
  }

  /** Why the buffers of `moved` cannot go in the wire message being made, or null. */
  private unmovable(moved: readonly Moved[]): TransferError | null {
    for (const m of moved) {
      if (m.buffer === null || isDetached(m.buffer)) return new TransferError('a buffer to be moved was detached before it was sent (moved or transferred elsewhere)');
      if (this.moving.includes(m.buffer)) return new TransferError('one buffer is moved twice in one wire message');
    }
    return null;
  }

  private emit(): void {
    if (this.count === 0) return;
    const message = this.packer.join(this.parts, this.size, this.count);
    const moving = this.moving;
    this.parts = [];
    this.size = 0;
    this.count = 0;
    this.moving = [];
    if (moving.length === 0) this.wire.send(message);
    else this.wire.send(message, moving);
  }

  /** Holds arriving messages (the station is not ready to serve them yet). */
  pause(): void {
    this.held ??= [];
  }

  /** Serves the messages held while paused, in order, then whatever arrives. */
  resume(): void {
    const held = this.held;
    this.held = null;
    for (const [bytes, moved] of held ?? []) this.arrive(bytes, moved);
  }

  /** Sends what is queued, then closes the wire. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.wire.close();
  }

  private arrive(bytes: Uint8Array, buffers: readonly ArrayBuffer[] | undefined): void {
    if (this.held !== null) {
      this.held.push([bytes, buffers]);
      return;
    }
    const handler = this.handler;
    if (handler === null) return;
    if (bytes.length > this.wire.maxMessageBytes) {
      handler.fault(new ProtocolError(this.peer, `a wire message of ${bytes.length} bytes is over this link's limit of ${this.wire.maxMessageBytes}`));
      return;
    }
    let raws: unknown[];
    try {
      raws = this.packer.unpackAll(bytes);
    } catch (cause) {
      handler.fault(new ProtocolError(this.peer, `a wire message of ${bytes.length} bytes does not decode`, cause));
      return;
    }
    let pending: Moved[] | null = null;
    let next = 0;
    for (const raw of raws) {
      const message = parseMessage(raw, this.peer);
      if (message instanceof ProtocolError) {
        pending = null;
        handler.fault(message);
        continue;
      }
      if (message.kind === 'attach') {
        // A buffer missing stays in the list as null: the batch it belongs to then fails to
        // decode where it is served (a CodecError for its channel), rather than arriving short.
        pending = [];
        for (const [at, kind, inline] of message.moved) {
          const buffer = inline === null ? (buffers?.[next++] ?? null) : wholeBuffer(inline);
          if (buffer === null) handler.fault(new ProtocolError(this.peer, 'an "attach" message names a moved buffer the wire message does not carry'));
          pending.push({ at, kind, buffer });
        }
        continue;
      }
      if (pending !== null) {
        const data = 'data' in message ? message.data : null;
        if (data instanceof Uint8Array) attach(data, pending);
        else handler.fault(new ProtocolError(this.peer, `an "attach" message precedes a "${message.kind}" message, which carries no batch`));
        pending = null;
      }
      try {
        this.dispatch(message, handler);
      } catch (cause) {
        handler.fault(cause instanceof ProtocolError ? cause : new ProtocolError(this.peer, `serving a "${message.kind}" message failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause));
      }
    }
  }

  private dispatch(message: Exclude<Message, Attach>, handler: LinkHandler): void {
    if (message.kind === 'hello') {
      if (message.version !== PROTOCOL_VERSION) {
        const error = new ProtocolError(this.peer, `the peer speaks protocol version ${message.version}, this side ${PROTOCOL_VERSION}`);
        handler.fault(error);
        this.closed = true;
        handler.lost(error);
        return;
      }
      this.greeted = true;
      return;
    }
    if (!this.greeted) {
      handler.fault(new ProtocolError(this.peer, `a "${message.kind}" message arrived before the peer's hello`));
      return;
    }
    if (!UNCOUNTED.has(message.kind)) this.receivedCount++;
    if (isRequest(message)) handler.request(message);
    else if (isAnswer(message)) handler.answer(message);
    else handler.process(message);
  }
}

/** An ArrayBuffer holding exactly `bytes` (the same memory when they span their buffer). */
function wholeBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  // Uint8Array's slice, which copies (a Buffer's own slice is a view of the same memory).
  return b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength ? b : (Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer);
}

function unsendable(peer: string, message: Message, bytes: number, max: number): ProtocolError {
  return new ProtocolError(peer, `a "${message.kind}" message could not be sent`, new FrameTooLargeError(`a "${message.kind}" message`, bytes, max));
}
