/**
 * The seam between the remote layer and a transport: a Wire carries whole messages of bytes
 * between two stations (a MessagePort between threads, a NATS subject pair, an in-memory queue in
 * the simulated network). Everything above it — framing, the protocol, homes, proxies — is the
 * same on every transport.
 *
 * Contract (what a transport promises):
 * - messages are delivered whole, in the order sent, each at most once and, while the wire is
 *   open, exactly once (a transport over a lossy medium makes it so, or reports the wire lost);
 * - `send` never blocks and never throws for a message within `maxMessageBytes`; the wire may
 *   take ownership of the bytes (transfer them): the caller never touches them again;
 * - a wire that can move memory (`moves`, threads) sends the `transfer` list beside a message
 *   (the sender's buffers are detached) and hands the same buffers, in order, to the receiver's
 *   handler; a wire that cannot (NATS, the simulated network) is never given one — the link
 *   carries those bytes inline instead;
 * - `onLost` fires at most once, after which nothing more is delivered;
 * - handlers are called on the event loop, never re-entrantly from `send`.
 */
export interface Wire {
  /** The largest message, in bytes, this wire carries (NATS: the server's max_payload). */
  readonly maxMessageBytes: number;
  /** True when this wire can move ArrayBuffers beside a message (a transfer list) rather than copy them. */
  readonly moves?: boolean;
  /** Sends one message (and, on a wire that moves, the buffers of `transfer`). The bytes now belong to the wire. */
  send(message: Uint8Array, transfer?: readonly ArrayBuffer[]): void;
  /** Sets the one handler of arriving messages (with the buffers moved beside one, if any). */
  onMessage(handler: (message: Uint8Array, moved?: readonly ArrayBuffer[]) => void): void;
  /** Sets the handler told once, with the cause, when the wire is lost (the peer died, the connection broke). */
  onLost(handler: (cause: Error) => void): void;
  /** Closes this side: nothing more is sent or delivered. Idempotent. */
  close(): void;
}

/** The smallest `maxMessageBytes` a link accepts: room for any control message and a modest value. */
export const MIN_MESSAGE_BYTES = 4096;
