/** Errors of reliable links: why a link to a peer was given up. */
import { CspflowError } from '../core/errors.js';

export type LinkLostReason =
  /** Nothing was heard from the peer for the whole lease. */
  | 'lease-expired'
  /** The peer answered with a new session: it restarted and lost what it held. */
  | 'peer-restarted'
  /** The peer closed the link on purpose. */
  | 'peer-closed'
  /** The transport says the peer is gone (e.g. NATS "no responders" on its subject). */
  | 'peer-gone'
  /** Code handling a message threw: a bug above the link, surfaced instead of swallowed. */
  | 'handler-threw';

const TEXT: Record<LinkLostReason, string> = {
  'lease-expired': 'nothing was heard from it for the whole lease',
  'peer-restarted': 'it restarted (new session), so what it held is gone',
  'peer-closed': 'it closed the link',
  'peer-gone': 'the transport reports it gone',
  'handler-threw': 'handling one of its messages threw',
};

/** The link to `peer` is lost; every operation that depended on it fails with this. */
export class LinkLostError extends CspflowError {
  override readonly name = 'LinkLostError';
  readonly code = 'ERR_CSPFLOW_LINK_LOST';
  readonly peer: string;
  readonly reason: LinkLostReason;

  constructor(peer: string, reason: LinkLostReason, cause?: unknown) {
    super(`link to peer "${peer}" lost: ${TEXT[reason]}`, cause === undefined ? undefined : { cause });
    this.peer = peer;
    this.reason = reason;
  }
}
