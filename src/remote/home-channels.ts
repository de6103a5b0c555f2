/**
 * The channels living in one station, shared by the homes of all its links. Each is an ordinary
 * core channel — made with the core's own validation, so a channel homed for other threads or
 * hosts accepts exactly what `chan()` accepts — plus its codec, the credit its remote writers
 * hold (credit.ts) and the values a remote reader reads ahead (read-ahead.ts).
 */
import type { Codec } from '../codec/codec.js';
import { channelCore, channelOver, type Channel, type ChannelOptions } from '../core/chan.js';
import type { ChannelCore } from '../core/channel-core.js';
import { ChannelCredit } from './credit.js';
import { ReadAhead } from './read-ahead.js';

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
  /** The values a remote reader reads ahead (read-ahead.ts). */
  readonly readAhead: ReadAhead;
}

export class HomeChannels {
  private readonly byCore = new WeakMap<ChannelCore<unknown>, HomeChannel>();
  /** Every channel made here, in the order made (a station lives for one run, and so do they). */
  private readonly made: HomeChannel[] = [];

  /** Makes a channel living here. Throws RangeError for options `chan()` would refuse. */
  make(options: ChannelOptions, codec: Codec<unknown>, lossRetires = false): HomeChannel {
    const core = channelCore<unknown>(options);
    const ch: HomeChannel = { core, channel: channelOver(core), codec, credit: new ChannelCredit(core), lossRetires, readAhead: new ReadAhead(core) };
    this.byCore.set(core, ch);
    this.made.push(ch);
    return ch;
  }

  /** Every channel living here (for introspection: `cspflow inspect`). */
  list(): readonly HomeChannel[] {
    return this.made;
  }

  /** The home channel of `core`, if it was made here by `make`. */
  of(core: ChannelCore<unknown>): HomeChannel | undefined {
    return this.byCore.get(core);
  }
}
