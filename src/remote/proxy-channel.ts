/**
 * What the proxies of one channel on one link know of it, from their home's notices and from the
 * answers they get: the facts try-operations and end creation answer from without asking (a
 * proxy never waits for its home to answer those). Every fact here is permanent once true, so
 * knowing it late is never knowing it wrong.
 */
import type { Codec } from '../codec/codec.js';
import type { PoisonError } from '../core/errors.js';

/** A writer that holds credit on this channel (the channel's end takes it back). */
export interface CreditHolder {
  credit: number;
}

export class ChannelState {
  /** The channel's PoisonError, once the home told of it. */
  poisoned: PoisonError | null = null;
  readersRetired = false;
  writersRetired = false;
  /** Writers retired and the buffer empty: end of stream, for good. */
  drained = false;
  /** Why the channel could not be made at its home: every end of it fails with this. */
  refused: Error | null = null;
  /**
   * Non-zero after this side let go of an end of the channel (which may have ended it for
   * writers): the first operation id sent after that. Until an answer to such an operation
   * arrives — proof the home has seen the let-go — writers do not write ahead on credit.
   */
  suspectUntil = 0;
  readonly writers = new Set<CreditHolder>();

  constructor(
    /** The channel's id on its link. */
    readonly id: number,
    readonly name: string,
    readonly codec: Codec<unknown>,
  ) {}

  /** The channel ended for writers (poisoned, or its readers retired): credit means nothing any more. */
  dropCredit(): void {
    for (const w of this.writers) w.credit = 0;
  }
}
