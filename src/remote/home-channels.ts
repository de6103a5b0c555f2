/**
 * The channels living in one station, shared by the homes of all its links. Each is an ordinary
 * core channel — made with the core's own validation, so a channel homed for other threads or
 * hosts accepts exactly what `chan()` accepts — plus its codec and the credit its remote writers
 * hold (credit.ts).
 */
import type { Codec } from '../codec/codec.js';
import { channelCore, channelOver, type Channel, type ChannelOptions } from '../core/chan.js';
import type { ChannelCore } from '../core/channel-core.js';
import { ChannelCredit } from './credit.js';

export interface HomeChannel {
  readonly core: ChannelCore<unknown>;
  /** Hands out core ends (for processes running in this station). */
  readonly channel: Channel<unknown>;
  readonly codec: Codec<unknown>;
  readonly credit: ChannelCredit;
  /**
   * When a peer holding ends of it is lost, they retire instead of being poisoned. For control
   * channels whose state survives a peer's death (a durable channel's: its values live elsewhere).
   */
  readonly lossRetires: boolean;
}

export class HomeChannels {
  private readonly byCore = new WeakMap<ChannelCore<unknown>, HomeChannel>();

  /** Makes a channel living here. Throws RangeError for options `chan()` would refuse. */
  make(options: ChannelOptions, codec: Codec<unknown>, lossRetires = false): HomeChannel {
    const core = channelCore<unknown>(options);
    const ch: HomeChannel = { core, channel: channelOver(core), codec, credit: new ChannelCredit(core), lossRetires };
    this.byCore.set(core, ch);
    return ch;
  }

  /** The home channel of `core`, if it was made here by `make`. */
  of(core: ChannelCore<unknown>): HomeChannel | undefined {
    return this.byCore.get(core);
  }
}
