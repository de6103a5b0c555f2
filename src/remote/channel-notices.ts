/**
 * Channel notices: a home tells the other side of a link what its proxies should know about a
 * channel they use — it was poisoned, its readers or writers retired, it reached end of stream
 * (writers retired, buffer empty) — so they answer try-operations and end creation from it.
 * Every notice states a permanent fact, and is sent at most once per channel and link.
 *
 * Invariant: each channel the link knows has one listener on its core (`watches`) until `close`.
 */
import { PoisonError, RetiredError } from '../core/errors.js';
import type { HomeChannel } from './home-channels.js';
import type { Answer, ChannelEvent, WireValue } from './protocol.js';

/** What notices need of the home they belong to. */
export interface NoticeOwner {
  /** The id of `ch` on the link, if it has one. */
  idOf(ch: HomeChannel): number | undefined;
  tell(message: Answer): void;
  toWire(error: unknown): WireValue;
}

export class ChannelNotices {
  private readonly watches = new Map<HomeChannel, () => void>();
  private readonly drained = new Set<HomeChannel>();

  constructor(private readonly home: NoticeOwner) {}

  /** From now on, tells the peer when `ch` ends for a side (at once for what has already happened). */
  watch(ch: HomeChannel): void {
    if (this.watches.has(ch)) return;
    const listener = (error: Error): void => {
      if (error instanceof PoisonError) this.notice(ch, 'poisoned', error);
      else if (error instanceof RetiredError && error.why === 'readers-retired') this.notice(ch, 'readers-retired', null);
      else {
        this.notice(ch, 'writers-retired', null);
        this.checkDrained(ch);
      }
    };
    ch.core.onTerminate.add(listener);
    this.watches.set(ch, () => ch.core.onTerminate.delete(listener));
    const core = ch.core;
    if (core.poisoned !== null) listener(core.poisoned);
    else {
      if (core.readersRetired) listener(new RetiredError('readers-retired', core.name));
      if (core.writersRetired) listener(new RetiredError('writers-retired', core.name));
    }
  }

  /** Values were taken from `ch`: tells the peer once it has reached end of stream. */
  checkDrained(ch: HomeChannel): void {
    const core = ch.core;
    if (!core.writersRetired || (core.buffer?.size ?? 0) > 0 || core.poisoned !== null || this.drained.has(ch)) return;
    this.drained.add(ch);
    this.notice(ch, 'drained', null);
  }

  /** Stops telling the peer about channels. */
  close(): void {
    for (const unwatch of this.watches.values()) unwatch();
    this.watches.clear();
  }

  private notice(ch: HomeChannel, event: ChannelEvent, error: Error | null): void {
    const id = this.home.idOf(ch);
    if (id === undefined) return;
    this.home.tell({ kind: 'channel', channel: id, event, error: error === null ? null : this.home.toWire(error) });
  }
}
