/**
 * The home side of one link: serves the requests a peer's proxies send about channels living in
 * this station. The link's ids are kept by home-table.ts, operations are performed by
 * home-ops.ts, remote processes let go of ends through stand-ins (stand-ins.ts), and the peer is
 * told what its proxies should know about each channel (channel-notices.ts).
 *
 * Every request that names nothing here, or something that could not be made, is answered — an
 * operation fails with the reason — so a proxy never waits for an answer that will not come.
 *
 * Invariant: `ops` holds the abort controller of every abortable operation not yet answered.
 */
import type { Codec } from '../codec/codec.js';
import { OPEN, RETIRED } from '../core/channel-core.js';
import type { Ending } from '../core/ends.js';
import type { ProcessRecord } from '../core/process-record.js';
import { ChannelNotices } from './channel-notices.js';
import { after } from './end-order.js';
import type { HomeChannel, HomeChannels } from './home-channels.js';
import type { HomeEnd } from './home-end.js';
import { HomeOffers } from './home-offers.js';
import { read, runAlt, write, type OpHost } from './home-ops.js';
import { HomeTable, type TableOwner } from './home-table.js';
import type { Link } from './link.js';
import type { Adopt, Answer, EndingWire, Request, Side, WireValue } from './protocol.js';
import { StandIns, tagPoison } from './stand-ins.js';
import type { ErrorTable } from './wire-errors.js';

/** What a home needs of its station. */
export interface HomeStation {
  readonly channels: HomeChannels;
  readonly codecs: ReadonlyMap<string, Codec<unknown>>;
  readonly errors: ErrorTable;
  /** A real error found while serving (a codec fault, a protocol error): the station is told. */
  fault(error: Error): void;
  /** End `id` that peer `holder` opened on its link to this station (a placeholder to adopt), and what retires it there. */
  placeholder(holder: string, id: number): Placeholder | undefined;
}

/** A placeholder end at the home of its holder's link. */
export interface Placeholder {
  readonly end: HomeEnd;
  /** Retires it (it has been adopted). */
  retire(): void;
}

export class Home implements OpHost, TableOwner {
  private readonly table = new HomeTable(this);
  private readonly notices = new ChannelNotices({ idOf: (ch) => this.table.idOf(ch), tell: (m) => this.tell(m), toWire: (e) => this.toWire(e) });
  private readonly ops = new Map<number, AbortController>();
  readonly standIns = new StandIns((he) => this.left(he));
  private readonly offers = new HomeOffers(this);

  constructor(
    private readonly station: HomeStation,
    private readonly link: Link,
  ) {}

  get channels(): HomeChannels {
    return this.station.channels;
  }

  get codecs(): ReadonlyMap<string, Codec<unknown>> {
    return this.station.codecs;
  }

  get maxDataBytes(): number {
    return this.link.maxDataBytes;
  }

  get peer(): string {
    return this.link.peer;
  }

  tell(message: Answer): void {
    this.link.send(message);
  }

  fault(error: Error): void {
    this.station.fault(error);
  }

  readonly report = (error: Error): void => this.station.fault(error);

  toWire(error: unknown): WireValue {
    return this.station.errors.toWire(error);
  }

  watch(ch: HomeChannel): void {
    this.notices.watch(ch);
  }

  handle(m: Request): void {
    switch (m.kind) {
      case 'make-channel':
        return this.table.makeChannel(m);
      case 'open': {
        const he = this.table.open(m);
        if (he !== null) this.tell({ kind: 'opened', end: m.end, credit: he.writer ? he.ch.credit.open(he) : 0 });
        return;
      }
      case 'adopt':
        return this.adopt(m);
      case 'read':
        return read(this, m);
      case 'write':
        return write(this, m);
      case 'alt':
        return runAlt(this, m);
      case 'cancel':
        if (!this.offers.withdraw(m.op)) this.ops.get(m.op)?.abort();
        return;
      case 'alt-offer':
        return this.offers.offer(m);
      case 'alt-grant':
        return this.offers.grant(m);
      case 'retire': {
        // Values written on credit count as buffered: they go in before the end leaves. A write
        // still waiting for its answer is this end's own pending operation: retiring fails it.
        const he = this.table.known(m.end, m.kind);
        if (he === null) return;
        if (he.successor !== null) he.successor.retire();
        else this.retireAfterCredit(he);
        return;
      }
      case 'poison': {
        const he = this.table.known(m.end, m.kind);
        if (he === null) return;
        const reason = this.station.errors.fromWire(m.reason);
        if (he.successor !== null) return he.successor.poison(reason);
        tagPoison(he.end.poisonFrom(reason, undefined), m.token);
        this.left(he);
        return;
      }
      case 'hold': {
        const he = this.table.known(m.end, m.kind);
        if (he !== null) this.standIns.hold(he, m.pid, m.name, m.keeper);
        return;
      }
      case 'release': {
        const he = this.table.known(m.end, m.kind);
        if (he !== null) this.standIns.release(he, m.pid, this.ending(m.ending), m.ending.kind === 'poison' ? m.ending.token : undefined);
        return;
      }
      case 'return-credit': {
        const he = this.table.known(m.end, m.kind);
        if (he !== null) he.ch.credit.returned(he);
        return;
      }
      case 'taken': {
        const he = this.table.known(m.end, m.kind);
        if (he !== null) {
          he.ch.readAhead.taken(he, m.op, m.count, m.done);
          this.checkDrained(he.ch);
        }
        return;
      }
      case 'ping':
        // Answered once this side has gone idle twice: what the request started has been done.
        this.link.later(() => this.link.later(() => this.tell({ kind: 'pong', op: m.op })));
        return;
    }
  }

  /**
   * A new real end of `ch` held for remote process `pid`, and the ids naming it and its channel on
   * this link. A writer given this way gets its first credit with the answer to its first write.
   */
  giveEnd(ch: HomeChannel, side: Side, pid: number, name: string): { readonly end: number; readonly channel: number; readonly home: HomeEnd } {
    const channel = this.table.refer(ch);
    const he = this.table.give(ch, side);
    this.standIns.hold(he, pid, name, false);
    return { end: he.id, channel, home: he };
  }

  /** Retires an end once the values it wrote on credit are in (they count as buffered). */
  private retireAfterCredit(he: HomeEnd): void {
    if (he.credited === 0) this.retireEnd(he);
    else after(he, () => this.retireEnd(he));
  }

  /**
   * The peer adopts a placeholder another peer opened here (a direct route, record 0014): its end
   * is made before the placeholder retires, so the side never counts zero in between. A
   * placeholder already retired (a graceful stop came first) retires the new end at once; one
   * poisoned has poisoned the channel, which the new end meets.
   */
  private adopt(m: Adopt): void {
    const held = this.station.placeholder(m.holder, m.placeholder);
    const he = this.table.adopt(m, held?.end);
    if (he === null || held === undefined) return;
    const placeholder = held.end;
    let credit = 0;
    if (placeholder.end.state === RETIRED) he.end.retire();
    else if (he.writer) credit = he.ch.credit.open(he);
    placeholder.successor = {
      retire: () => this.retireAfterCredit(he),
      poison: (reason) => {
        he.end.poisonFrom(reason, undefined);
        this.left(he);
      },
    };
    held.retire();
    this.tell({ kind: 'opened', end: m.end, credit });
  }

  /** The end `id` made on this link (a placeholder the runner opened), if any. */
  find(id: number): HomeEnd | undefined {
    return this.table.find(id);
  }

  /** Retires an end (at the peer's request, or a graceful stop of a source the station spawned). */
  retireEnd(he: HomeEnd): void {
    he.end.retire();
    this.left(he);
  }

  /** The real end the peer opened as `id` (to hand to a process it spawns here); throws why there is none. */
  openedEnd(id: number): HomeEnd {
    return this.table.opened(id);
  }

  /** A malformed write named end `id`: its values are lost, so its channel is poisoned with `error`. */
  poisonChannelOf(id: number, error: Error): void {
    const he = this.table.find(id);
    if (he !== undefined) he.ch.core.poison(error, { channel: he.ch.core.name });
  }

  /** The pid of the peer's process `record` stands for here, or null. */
  standInPid(record: ProcessRecord): number | null {
    return this.standIns.pidOf(record);
  }

  /** Remote process `pid` has ended: it lets go of what it still holds. */
  finish(pid: number, ending: Ending): void {
    this.standIns.finish(pid, ending);
  }

  /** The link is lost: every end held for the peer is poisoned with `cause`; nothing more is told. */
  lose(cause: Error): void {
    this.standIns.loseAll(cause);
    for (const he of this.table.all()) {
      if (he.end.holders.length > 0) continue;
      if (he.ch.lossRetires) he.end.retire();
      else he.end.poisonFrom(cause, undefined);
    }
    for (const he of this.table.all()) he.ch.credit.leave(he);
    this.offers.close();
    this.close();
  }

  /** Stops telling the peer about channels. */
  close(): void {
    this.notices.close();
  }

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
    return this.table.endFor(id, op, side);
  }

  checkDrained(ch: HomeChannel): void {
    this.notices.checkDrained(ch);
  }

  /** `he` may have left its channel: what it held on credit, and what it read ahead, goes back. */
  private left(he: HomeEnd): void {
    if (he.end.state !== OPEN) {
      he.ch.credit.leave(he);
      he.ch.readAhead.leave(he);
    }
  }

  private ending(e: EndingWire): Ending {
    if (e.kind === 'retire') return { kind: 'retire' };
    const origin = e.origin === null ? undefined : e.origin.process === null ? { channel: e.origin.channel } : { channel: e.origin.channel, process: e.origin.process };
    return { kind: 'poison', reason: this.station.errors.fromWire(e.reason), origin };
  }
}
