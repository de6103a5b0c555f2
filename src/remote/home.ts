/**
 * The home side of one link: serves the requests a peer's proxies send about channels living in
 * this station. It names things by the link's ids (protocol.ts), makes the real core ends proxies
 * stand for, hands operations to home-ops.ts, lets go of ends through stand-ins (stand-ins.ts),
 * and tells the peer what its proxies should know about a channel (channel notices).
 *
 * Every request that names nothing here, or something that could not be made, is answered — an
 * operation fails with the reason — so a proxy never waits for an answer that will not come.
 *
 * Invariants:
 * - an end id is in at most one of `ends` and `refused`, for good;
 * - each channel this link knows has one id on it, and one notice listener (`watches`);
 * - `ops` holds the abort controller of every abortable operation not yet answered.
 */
import type { Codec } from '../codec/codec.js';
import { dropping, fixed, sliding, type BufferSpec } from '../core/buffer.js';
import { OPEN } from '../core/channel-core.js';
import { ReaderEnd, WriterEnd, type Ending } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import { ProtocolError } from './errors.js';
import type { HomeChannel, HomeChannels } from './home-channels.js';
import { HomeEnd } from './home-end.js';
import { read, runAlt, write, type OpHost } from './home-ops.js';
import type { Link } from './link.js';
import type { Answer, BufferWire, ChannelEvent, EndingWire, MakeChannel, Open, Request, Side, WireValue } from './protocol.js';
import { StandIns, tagPoison } from './stand-ins.js';
import type { ErrorTable } from './wire-errors.js';
import { after } from './end-order.js';

/** What a home needs of its station. */
export interface HomeStation {
  readonly channels: HomeChannels;
  readonly codecs: ReadonlyMap<string, Codec<unknown>>;
  readonly errors: ErrorTable;
  /** A real error found while serving (a codec fault, a protocol error): the station is told. */
  fault(error: Error): void;
}

function bufferOf(b: BufferWire | null): BufferSpec | undefined {
  if (b === null) return undefined;
  return b.kind === 'fixed' ? fixed(b.capacity) : b.kind === 'dropping' ? dropping(b.capacity) : sliding(b.capacity);
}

export class Home implements OpHost {
  private readonly ends = new Map<number, HomeEnd>();
  private readonly refused = new Map<number, Error>();
  private readonly channels = new Map<number, HomeChannel>();
  private readonly refusedChannels = new Map<number, Error>();
  private readonly ids = new Map<HomeChannel, number>();
  private readonly watches = new Map<HomeChannel, () => void>();
  private readonly drained = new Set<HomeChannel>();
  private readonly ops = new Map<number, AbortController>();
  readonly standIns = new StandIns((he) => this.left(he));
  private nextEnd = -1;
  private nextChannel = -1;

  constructor(
    private readonly station: HomeStation,
    private readonly link: Link,
  ) {}

  get maxDataBytes(): number {
    return this.link.maxDataBytes;
  }

  tell(message: Answer): void {
    this.link.send(message);
  }

  fault(error: Error): void {
    this.station.fault(error);
  }

  toWire(error: unknown): WireValue {
    return this.station.errors.toWire(error);
  }

  handle(m: Request): void {
    switch (m.kind) {
      case 'make-channel':
        return this.makeChannel(m);
      case 'open':
        return this.open(m);
      case 'read':
        return read(this, m);
      case 'write':
        return write(this, m);
      case 'alt':
        return runAlt(this, m);
      case 'cancel':
        this.ops.get(m.op)?.abort();
        return;
      case 'retire': {
        // Values written on credit count as buffered: they go in before the end leaves. A write
        // still waiting for its answer is this end's own pending operation: retiring fails it.
        const he = this.known(m.end, m.kind);
        if (he === null) return;
        const retire = (): void => {
          he.end.retire();
          this.left(he);
        };
        if (he.queued === 0) retire();
        else after(he, retire);
        return;
      }
      case 'poison': {
        const he = this.known(m.end, m.kind);
        if (he === null) return;
        tagPoison(he.end.poisonFrom(this.station.errors.fromWire(m.reason), undefined), m.token);
        this.left(he);
        return;
      }
      case 'hold': {
        const he = this.known(m.end, m.kind);
        if (he !== null) this.standIns.hold(he, m.pid, m.name, m.keeper);
        return;
      }
      case 'release': {
        const he = this.known(m.end, m.kind);
        if (he !== null) this.standIns.release(he, m.pid, this.ending(m.ending), m.ending.kind === 'poison' ? m.ending.token : undefined);
        return;
      }
      case 'return-credit': {
        const he = this.known(m.end, m.kind);
        if (he !== null) he.ch.credit.returned(he);
        return;
      }
      case 'ping':
        // Answered once this side has gone idle twice: what the request started has been done.
        setImmediate(() => setImmediate(() => this.tell({ kind: 'pong', op: m.op })));
        return;
    }
  }

  // ---- ends and channels for the station's own use (processes it spawns there) ----------------

  /**
   * A new real end of `ch` held for remote process `pid`, and the ids naming it and its channel on
   * this link. A writer given this way gets its first credit with the answer to its first write.
   */
  giveEnd(ch: HomeChannel, side: Side, pid: number, name: string): { readonly end: number; readonly channel: number; readonly home: HomeEnd } {
    const channel = this.refer(ch);
    const id = this.nextEnd--;
    const he = this.makeEnd(id, ch, side);
    if (he instanceof Error) throw he;
    this.standIns.hold(he, pid, name, false);
    return { end: id, channel, home: he };
  }

  /** Retires an end given to a remote process (a graceful stop of a source). */
  retireEnd(he: HomeEnd): void {
    he.end.retire();
    this.left(he);
  }

  /** A malformed write named end `id`: its values are lost, so its channel is poisoned with `error`. */
  poisonChannelOf(id: number, error: Error): void {
    const he = this.ends.get(id);
    if (he === undefined) return;
    he.ch.core.poison(error, { channel: he.ch.core.name });
  }

  /** The real end the peer opened as `id` (to hand to a process it spawns here); throws why there is none. */
  openedEnd(id: number): HomeEnd {
    const he = this.ends.get(id);
    if (he !== undefined) return he;
    throw this.refused.get(id) ?? new ProtocolError(this.link.peer, `a spawn names end ${id}, which was never opened`);
  }

  /** Remote process `pid` has ended: it lets go of what it still holds. */
  finish(pid: number, ending: Ending): void {
    this.standIns.finish(pid, ending);
  }

  /** The link is lost: every end held for the peer is poisoned with `cause`; nothing more is told. */
  lose(cause: Error): void {
    this.standIns.loseAll(cause);
    for (const he of this.ends.values()) if (he.end.holders.length === 0) he.end.poisonFrom(cause, undefined);
    for (const he of this.ends.values()) he.ch.credit.leave(he);
    this.close();
  }

  /** Stops telling the peer about channels. */
  close(): void {
    for (const unwatch of this.watches.values()) unwatch();
    this.watches.clear();
  }

  // ---- OpHost -----------------------------------------------------------------------------------

  signalFor(op: number, abortable: boolean): AbortSignal | undefined {
    if (!abortable) return undefined;
    const controller = new AbortController();
    this.ops.set(op, controller);
    return controller.signal;
  }

  done(op: number): void {
    this.ops.delete(op);
  }

  endFor(id: number, op: number, side: Side): HomeEnd | null {
    const he = this.ends.get(id);
    if (he !== undefined && he.end.side === side) return he;
    const why =
      he !== undefined
        ? new ProtocolError(this.link.peer, `end ${id} is a ${he.end.side} end, not a ${side} end`)
        : (this.refused.get(id) ?? new ProtocolError(this.link.peer, `no end ${id} was opened on this link`));
    if (why instanceof ProtocolError) this.fault(why);
    if (op !== 0) this.tell({ kind: 'failed', op, error: this.toWire(why), aborted: false, credit: 0 });
    return null;
  }

  checkDrained(ch: HomeChannel): void {
    const core = ch.core;
    if (!core.writersRetired || (core.buffer?.size ?? 0) > 0 || core.poisoned !== null || this.drained.has(ch)) return;
    this.drained.add(ch);
    this.notice(ch, 'drained', null);
  }

  // ---- serving ----------------------------------------------------------------------------------

  private makeChannel(m: MakeChannel): void {
    if (this.channels.has(m.channel) || this.refusedChannels.has(m.channel) || m.channel <= 0) {
      this.fault(new ProtocolError(this.link.peer, `channel id ${m.channel} is already used on this link, or not one the peer may choose`));
      return;
    }
    const codec = this.station.codecs.get(m.codec);
    try {
      if (codec === undefined) throw new Error(`channel "${m.name}" uses codec "${m.codec}", which is not registered where the channel lives`);
      const ch = this.station.channels.make({ name: m.name, buffer: bufferOf(m.buffer), maxPending: m.maxPending }, codec);
      this.channels.set(m.channel, ch);
      this.ids.set(ch, m.channel);
      this.watch(ch);
    } catch (error) {
      const refusal = error instanceof Error ? error : new Error(String(error));
      this.refusedChannels.set(m.channel, refusal);
      this.tell({ kind: 'channel', channel: m.channel, event: 'refused', error: this.toWire(refusal) });
    }
  }

  private open(m: Open): void {
    if (this.ends.has(m.end) || this.refused.has(m.end) || m.end <= 0) {
      this.fault(new ProtocolError(this.link.peer, `end id ${m.end} is already used on this link, or not one the peer may choose`));
      return;
    }
    const ch = this.channels.get(m.channel);
    let made: HomeEnd | Error;
    if (ch !== undefined) made = this.makeEnd(m.end, ch, m.side);
    else {
      made = this.refusedChannels.get(m.channel) ?? new ProtocolError(this.link.peer, `no channel ${m.channel} is known on this link`);
      if (made instanceof ProtocolError) this.fault(made);
    }
    if (made instanceof Error) {
      this.refused.set(m.end, made);
      this.tell({ kind: 'end-failed', end: m.end, error: this.toWire(made) });
      return;
    }
    const credit = made.writer ? made.ch.credit.open(made) : 0;
    this.tell({ kind: 'opened', end: m.end, credit });
  }

  /** A real end of `ch` numbered `id` on this link, or why it cannot be made (its side has retired). */
  private makeEnd(id: number, ch: HomeChannel, side: Side): HomeEnd | Error {
    try {
      const end = side === 'reader' ? new ReaderEnd(ch.core) : new WriterEnd(ch.core);
      const he = new HomeEnd(id, ch, end, (message) => this.tell(message));
      this.ends.set(id, he);
      this.watch(ch);
      return he;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The end named by an op-less request; a name that is nothing here is a protocol error. */
  private known(id: number, kind: string): HomeEnd | null {
    const he = this.ends.get(id);
    if (he !== undefined) return he;
    if (!this.refused.has(id)) this.fault(new ProtocolError(this.link.peer, `a "${kind}" message names end ${id}, which was never opened on this link`));
    return null;
  }

  /** `he` may have left its channel: what it held on credit goes back. */
  private left(he: HomeEnd): void {
    if (he.end.state !== OPEN) he.ch.credit.leave(he);
  }

  private ending(e: EndingWire): Ending {
    if (e.kind === 'retire') return { kind: 'retire' };
    const origin = e.origin === null ? undefined : e.origin.process === null ? { channel: e.origin.channel } : { channel: e.origin.channel, process: e.origin.process };
    return { kind: 'poison', reason: this.station.errors.fromWire(e.reason), origin };
  }

  /** The id of `ch` on this link (a channel living here referred to by this side: < 0). */
  private refer(ch: HomeChannel): number {
    let id = this.ids.get(ch);
    if (id === undefined) {
      id = this.nextChannel--;
      this.ids.set(ch, id);
      this.channels.set(id, ch);
    }
    this.watch(ch);
    return id;
  }

  /** From now on, tells the peer when `ch` ends for a side (its proxies answer try-operations from that). */
  private watch(ch: HomeChannel): void {
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

  private notice(ch: HomeChannel, event: ChannelEvent, error: Error | null): void {
    const id = this.ids.get(ch);
    if (id === undefined) return;
    this.tell({ kind: 'channel', channel: id, event, error: error === null ? null : this.toWire(error) });
  }
}
