/**
 * The ends and channels one link names at a home, by the link's ids (protocol.ts): channels and
 * ends the peer made (`make-channel`, `open`: ids > 0, chosen by the peer) and those this side
 * made for processes it spawns there (ids < 0). What could not be made is remembered too, so every
 * later request naming it is answered with the reason.
 *
 * Invariants:
 * - an end id is in at most one of `ends` and `refused`, for good; likewise a channel id;
 * - each channel this link knows has exactly one id on it (`ids`).
 */
import type { Codec } from '../codec/codec.js';
import { dropping, fixed, sliding, type BufferSpec } from '../core/buffer.js';
import { ReaderEnd, WriterEnd } from '../core/ends.js';
import { ProtocolError } from './errors.js';
import type { HomeChannel, HomeChannels } from './home-channels.js';
import { HomeEnd } from './home-end.js';
import type { Adopt, Answer, BufferWire, MakeChannel, Open, Side, WireValue } from './protocol.js';

/** What the table needs of the home it belongs to. */
export interface TableOwner {
  readonly peer: string;
  readonly channels: HomeChannels;
  readonly codecs: ReadonlyMap<string, Codec<unknown>>;
  tell(message: Answer): void;
  fault(error: Error): void;
  /** From now on, tell the peer about `ch` (a channel this link knows). */
  watch(ch: HomeChannel): void;
  toWire(error: unknown): WireValue;
}

function bufferOf(b: BufferWire | null): BufferSpec | undefined {
  if (b === null) return undefined;
  return b.kind === 'fixed' ? fixed(b.capacity) : b.kind === 'dropping' ? dropping(b.capacity) : sliding(b.capacity);
}

function asError(x: unknown): Error {
  return x instanceof Error ? x : new Error(String(x));
}

export class HomeTable {
  private readonly ends = new Map<number, HomeEnd>();
  private readonly refused = new Map<number, Error>();
  private readonly channels = new Map<number, HomeChannel>();
  private readonly refusedChannels = new Map<number, Error>();
  private readonly ids = new Map<HomeChannel, number>();
  private nextEnd = -1;
  private nextChannel = -1;

  constructor(private readonly home: TableOwner) {}

  /** Every end made on this link. */
  all(): Iterable<HomeEnd> {
    return this.ends.values();
  }

  /** The id of `ch` on this link, if it has one. */
  idOf(ch: HomeChannel): number | undefined {
    return this.ids.get(ch);
  }

  /** The id of `ch` on this link, given one now if it has none (a channel this side refers the peer to: < 0). */
  refer(ch: HomeChannel): number {
    let id = this.ids.get(ch);
    if (id === undefined) {
      id = this.nextChannel--;
      this.ids.set(ch, id);
      this.channels.set(id, ch);
    }
    this.home.watch(ch);
    return id;
  }

  /** A new end this side makes (for a process it spawns there): < 0. Throws why it cannot be made. */
  give(ch: HomeChannel, side: Side): HomeEnd {
    const he = this.make(this.nextEnd--, ch, side);
    if (he instanceof Error) throw he;
    return he;
  }

  /** The peer makes a channel living here; refused (and told so) when it cannot be made. */
  makeChannel(m: MakeChannel): void {
    if (this.channels.has(m.channel) || this.refusedChannels.has(m.channel) || m.channel <= 0) {
      this.home.fault(new ProtocolError(this.home.peer, `channel id ${m.channel} is already used on this link, or not one the peer may choose`));
      return;
    }
    const codec = this.home.codecs.get(m.codec);
    try {
      if (codec === undefined) throw new Error(`channel "${m.name}" uses codec "${m.codec}", which is not registered where the channel lives`);
      const ch = this.home.channels.make({ name: m.name, buffer: bufferOf(m.buffer), maxPending: m.maxPending }, codec);
      this.channels.set(m.channel, ch);
      this.ids.set(ch, m.channel);
      this.home.watch(ch);
    } catch (error) {
      const refusal = asError(error);
      this.refusedChannels.set(m.channel, refusal);
      this.home.tell({ kind: 'channel', channel: m.channel, event: 'refused', error: this.home.toWire(refusal) });
    }
  }

  /** The peer opens an end: made (or refused) now. Returns it, or null when refused (the peer is told). */
  open(m: Open): HomeEnd | null {
    if (this.ends.has(m.end) || this.refused.has(m.end) || m.end <= 0) {
      this.home.fault(new ProtocolError(this.home.peer, `end id ${m.end} is already used on this link, or not one the peer may choose`));
      return null;
    }
    const ch = this.channels.get(m.channel);
    let made: HomeEnd | Error;
    if (ch !== undefined) made = this.make(m.end, ch, m.side);
    else {
      made = this.refusedChannels.get(m.channel) ?? new ProtocolError(this.home.peer, `no channel ${m.channel} is known on this link`);
      if (made instanceof ProtocolError) this.home.fault(made);
    }
    if (!(made instanceof Error)) return made;
    this.refused.set(m.end, made);
    this.home.tell({ kind: 'end-failed', end: m.end, error: this.home.toWire(made) });
    return null;
  }

  /**
   * The peer adopts `placeholder` (the end `m` names, found at the link of its holder; undefined
   * if there is none): a new end on its channel, made (or refused: the peer is told) now. Returns
   * it, or null when refused.
   */
  adopt(m: Adopt, placeholder: HomeEnd | undefined): HomeEnd | null {
    if (this.ends.has(m.end) || this.refused.has(m.end) || m.end <= 0) {
      this.home.fault(new ProtocolError(this.home.peer, `end id ${m.end} is already used on this link, or not one the peer may choose`));
      return null;
    }
    const known = this.channels.get(m.channel);
    let made: HomeEnd | Error;
    if (placeholder === undefined) made = new ProtocolError(this.home.peer, `an "adopt" names end ${m.placeholder} of ${m.holder}, which ${m.holder} never opened here`);
    else if (placeholder.end.side !== m.side) made = new ProtocolError(this.home.peer, `an "adopt" names end ${m.placeholder} of ${m.holder}, a ${placeholder.end.side} end, for a ${m.side} end`);
    else if (placeholder.successor !== null) made = new ProtocolError(this.home.peer, `end ${m.placeholder} of ${m.holder} was already adopted`);
    else if (known === undefined ? m.channel <= 0 || this.refusedChannels.has(m.channel) || this.ids.has(placeholder.ch) : known !== placeholder.ch) {
      made = new ProtocolError(this.home.peer, `channel id ${m.channel} names another channel on this link, or is not one the peer may choose`);
    } else {
      if (known === undefined) {
        this.channels.set(m.channel, placeholder.ch);
        this.ids.set(placeholder.ch, m.channel);
      }
      made = this.make(m.end, placeholder.ch, m.side);
    }
    if (!(made instanceof Error)) return made;
    if (made instanceof ProtocolError) this.home.fault(made);
    this.refused.set(m.end, made);
    this.home.tell({ kind: 'end-failed', end: m.end, error: this.home.toWire(made) });
    return null;
  }

  /** The end the peer opened as `id`; throws why there is none. */
  opened(id: number): HomeEnd {
    const he = this.ends.get(id);
    if (he !== undefined) return he;
    throw this.refused.get(id) ?? new ProtocolError(this.home.peer, `a spawn names end ${id}, which was never opened`);
  }

  /** The end named by a request without an operation; a name that is nothing here is a protocol error. */
  known(id: number, kind: string): HomeEnd | null {
    const he = this.ends.get(id);
    if (he !== undefined) return he;
    if (!this.refused.has(id)) this.home.fault(new ProtocolError(this.home.peer, `a "${kind}" message names end ${id}, which was never opened on this link`));
    return null;
  }

  /** The end named by an operation (a `side` end), or null after answering `op` with why there is none. */
  endFor(id: number, op: number, side: Side): HomeEnd | null {
    const he = this.ends.get(id);
    if (he !== undefined && he.end.side === side) return he;
    const why =
      he !== undefined
        ? new ProtocolError(this.home.peer, `end ${id} is a ${he.end.side} end, not a ${side} end`)
        : (this.refused.get(id) ?? new ProtocolError(this.home.peer, `no end ${id} was opened on this link`));
    if (why instanceof ProtocolError) this.home.fault(why);
    if (op !== 0) this.home.tell({ kind: 'failed', op, error: this.home.toWire(why), aborted: false, credit: 0 });
    return null;
  }

  /** The existing end `id`, if any (no fault when there is none). */
  find(id: number): HomeEnd | undefined {
    return this.ends.get(id);
  }

  /** A real end of `ch` numbered `id` on this link, or why it cannot be made (its side has retired). */
  private make(id: number, ch: HomeChannel, side: Side): HomeEnd | Error {
    try {
      const end = side === 'reader' ? new ReaderEnd(ch.core) : new WriterEnd(ch.core);
      const he = new HomeEnd(id, ch, end, (message) => this.home.tell(message));
      this.ends.set(id, he);
      this.home.watch(ch);
      return he;
    } catch (error) {
      return asError(error);
    }
  }
}
