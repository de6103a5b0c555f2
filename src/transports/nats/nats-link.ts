/**
 * A reliable link to one peer over NATS: the remote layer's wire on this transport. The port's
 * no-responders probe loses the link as soon as the peer is confirmed gone; otherwise the
 * heartbeat lease does.
 */
import { ReliableLink, type LinkTimers } from '../../remote/reliable-link.js';
import type { NatsPorts } from './nats-ports.js';

export interface NatsLinkOptions {
  readonly timers: LinkTimers;
  /** This side's session: a u32 > 0, fresh for every link. */
  readonly session: number;
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  readonly window?: number;
}

export function natsLink(ports: NatsPorts, peer: string, options: NatsLinkOptions): ReliableLink {
  const port = ports.to(peer);
  const link = new ReliableLink(port, { peer, ...options });
  port.onGone(() => link.lose('peer-gone'));
  link.onLost(() => port.close());
  return link;
}
