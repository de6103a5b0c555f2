/** Errors of the remote layer: a message that breaks the protocol, and a value too big to cross. */
import { CspflowError } from '../core/errors.js';

/** The parts of a malformed message that could still be read. */
export interface MessageAbout {
  readonly kind: string | null;
  readonly op: number | null;
  readonly end: number | null;
  readonly channel: number | null;
  readonly pid: number | null;
}

/**
 * A message from a peer broke the protocol: bytes that do not decode, a kind nobody knows, a field
 * of the wrong type, an id that names nothing here, or a peer speaking another version. The link
 * that received it reports it and keeps serving; an operation it named fails with it.
 */
export class ProtocolError extends CspflowError {
  override readonly name = 'ProtocolError';
  readonly code = 'ERR_CSPFLOW_PROTOCOL';
  /** The peer the message came from. */
  readonly peer: string;
  /** What was wrong, in a few words (also in the message). */
  readonly detail: string;
  /** What could still be read of a malformed message: its kind and the ids it names. */
  about: MessageAbout | null = null;

  constructor(peer: string, detail: string, cause?: unknown) {
    super(`protocol error in a message from peer "${peer}": ${detail}`, cause === undefined ? undefined : { cause });
    this.peer = peer;
    this.detail = detail;
  }
}

/**
 * A value (or a message) cannot cross a link because it is bigger than the link's largest message
 * (`maxMessageBytes`, e.g. a NATS server's max_payload). Nothing was sent: send smaller values, or
 * raise the limit on the transport.
 */
export class FrameTooLargeError extends CspflowError {
  override readonly name = 'FrameTooLargeError';
  readonly code = 'ERR_CSPFLOW_FRAME_TOO_LARGE';
  /** The channel the value was written to, when it was a channel value. */
  readonly channel: string | undefined;
  /** How many bytes it needs, and how many a message may have. */
  readonly bytes: number;
  readonly limit: number;

  constructor(what: string, bytes: number, limit: number, channel?: string) {
    const on = channel === undefined ? '' : ` on channel "${channel}"`;
    super(`${what}${on} needs ${bytes} bytes, more than the ${limit} a message may carry on this link; nothing was sent (send smaller values or raise the transport's limit)`);
    this.channel = channel;
    this.bytes = bytes;
    this.limit = limit;
  }
}
