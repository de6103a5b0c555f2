/**
 * A real core end held at a channel's home on behalf of a proxy on the other side of one link,
 * with what the home keeps per end: the order of its steps (end-order.ts) and its credit
 * (credit.ts).
 */
import type { End } from '../core/ends.js';
import type { HomeChannel } from './home-channels.js';
import type { Answer } from './protocol.js';

/** What a placeholder's retire or poison is passed on to. */
export interface Successor {
  retire(): void;
  poison(reason: unknown): void;
}

export class HomeEnd {
  /** The last queued step of this end (a write, retire or release), or null when none is pending. */
  tail: Promise<void> | null = null;
  /** Credit granted and not yet used: values the proxy may still send (some may be on their way). */
  outstanding = 0;
  /** Values written on credit that arrived and wait behind this end's earlier steps (their slots stay promised). */
  queued = 0;
  /**
   * Values written on credit that arrived and are not in the channel yet: they count as buffered,
   * so a retire or release of the end waits for them.
   */
  credited = 0;
  /** Writes waiting for their answer, which carries the next grant. */
  acked = 0;
  /** While a revoke is out: ends the runtime's expectation that it may free room. */
  revoking: (() => void) | null = null;
  /**
   * Set when this end was a placeholder another peer's end adopted (protocol `adopt`): a retire or
   * poison the holder sends for it later (a graceful stop, a lost worker) reaches that end.
   */
  successor: Successor | null = null;

  constructor(
    /** The end's id on its link. */
    readonly id: number,
    readonly ch: HomeChannel,
    readonly end: End<unknown>,
    /** Sends a message to the proxy's side of the link. */
    readonly tell: (message: Answer) => void,
  ) {}

  get writer(): boolean {
    return this.end.side === 'writer';
  }
}
