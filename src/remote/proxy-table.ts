/**
 * The proxies of one link, and what they know: proxy ends by id, the channels they use with the
 * facts the home tells about each (proxy-channel.ts), both made optimistically (the ids are chosen
 * here, so an end exists at once and its first operation follows its `open`), and the answers and
 * notices addressed to an end or a channel rather than to an operation.
 *
 * Invariants:
 * - a proxy is in `ends` while it may still be told something (credit, a refusal, a revoke);
 * - a channel is in `suspects` iff its `suspectUntil` is non-zero.
 */
import type { Codec } from '../codec/codec.js';
import { checkChannelOptions, type Channel, type ChannelOptions } from '../core/chan.js';
import { OPEN } from '../core/channel-core.js';
import type { Reader, Writer } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import { currentRuntime } from '../core/runtime.js';
import { ProtocolError } from './errors.js';
import type { ChannelNotice, Credit, EndFailed, Opened, Recall, Revoke } from './protocol.js';
import { ChannelState } from './proxy-channel.js';
import type { ProxyEnd, ProxyHost } from './proxy-end.js';
import { ProxyReader } from './proxy-reader.js';
import { ProxyWriter } from './proxy-writer.js';

/** A channel to make at the peer: chan() options and the codec its values cross with. */
export interface RemoteChannelSpec<T> extends ChannelOptions {
  readonly codec: Codec<T>;
}

/** What the table needs of the client it belongs to. */
export interface TableHost extends ProxyHost {
  /** A new id for something made on this side (> 0, unique on the link). */
  newId(): number;
  /** The id the next operation sent will get. */
  readonly nextOp: number;
  readonly peer: string;
}

export class ProxyTable {
  private readonly ends = new Map<number, ProxyEnd<unknown>>();
  private readonly channels = new Map<number, ChannelState>();
  /** Channels of adopted ends, by their holder and its id for them. */
  private readonly adopted = new Map<string, ChannelState>();
  /** Channels whose writers wait for proof the home has seen this side let go of an end. */
  private readonly suspects = new Set<ChannelState>();
  /** Set once the link is lost: every end is refused with it. */
  private failed: Error | null = null;

  constructor(private readonly host: TableHost) {}

  /**
   * A channel living at the peer, made now: options are checked here as chan() checks them (a bad
   * one throws at once); `channelOf` hands out its ends, proxies made without waiting.
   */
  makeChannel<T>(spec: RemoteChannelSpec<T>): ChannelState {
    const { spec: buffer, maxPending } = checkChannelOptions(spec);
    const name = spec.name ?? currentRuntime().nextChannelName();
    const state = new ChannelState(this.host.newId(), name, spec.codec as Codec<unknown>);
    this.channels.set(state.id, state);
    this.host.send({ kind: 'make-channel', channel: state.id, name, buffer: buffer === null ? null : { kind: buffer.kind, capacity: buffer.capacity }, maxPending, codec: spec.codec.name });
    return state;
  }

  /** The Channel of `state`: its reader() and writer() make proxies at once, throwing only what is known. */
  channelOf<T>(state: ChannelState): Channel<T> {
    const make = (side: 'reader' | 'writer'): ProxyEnd<unknown> => {
      if (state.refused !== null) throw state.refused;
      if (side === 'reader' ? state.readersRetired : state.writersRetired) throw new RetiredError(side === 'reader' ? 'readers-retired' : 'writers-retired', state.name);
      const end = this.open(state, side);
      // As with core ends: an end made while a process body starts belongs to that process.
      const starting = currentRuntime().current;
      if (starting !== null) {
        end.hold(starting);
        end.maker = starting;
      }
      return end;
    };
    return { name: state.name, reader: () => make('reader') as unknown as Reader<T>, writer: () => make('writer') as unknown as Writer<T> };
  }

  /** Opens a new end of the channel `state` at the peer; its id is chosen here and usable at once. */
  open(state: ChannelState, side: 'reader' | 'writer'): ProxyEnd<unknown> {
    const id = this.host.newId();
    this.host.send({ kind: 'open', channel: state.id, end: id, side });
    return this.proxy(state, side, id, null);
  }

  /**
   * A proxy adopting end `placeholder`, which `holder` opened at the peer on a channel it numbers
   * `channel` (a routed spawn argument, record 0014): its id, and its channel's on this link, are
   * chosen here; ends of one channel share one channel state.
   */
  adopt(holder: string, placeholder: number, channel: number, name: string, codec: Codec<unknown>, side: 'reader' | 'writer'): ProxyEnd<unknown> {
    const key = `${holder}#${channel}`;
    let state = this.adopted.get(key);
    if (state === undefined) {
      state = new ChannelState(this.host.newId(), name, codec);
      this.channels.set(state.id, state);
      this.adopted.set(key, state);
    }
    const id = this.host.newId();
    this.host.send({ kind: 'adopt', channel: state.id, end: id, side, holder, placeholder });
    return this.proxy(state, side, id, null);
  }

  /** The state of a channel living at the peer, known here as `id` on this link. */
  channel(id: number, name: string, codec: Codec<unknown>): ChannelState {
    let state = this.channels.get(id);
    if (state === undefined) this.channels.set(id, (state = new ChannelState(id, name, codec)));
    return state;
  }

  /** A proxy for end `id`; `preheld`: the pid the peer already holds it for (a process it spawned here). */
  proxy(state: ChannelState, side: 'reader' | 'writer', id: number, preheld: number | null): ProxyEnd<unknown> {
    if (this.ends.has(id)) throw new ProtocolError(this.host.peer, `end id ${id} is already used on this link`);
    const end = side === 'reader' ? new ProxyReader<unknown>(this.host, id, state, preheld) : new ProxyWriter<unknown>(this.host, id, state, preheld);
    this.ends.set(id, end);
    if (this.failed !== null) end.refusal = this.failed;
    return end;
  }

  /** `end` has left (retired or poisoned here): nothing more needs telling it. */
  forget(end: ProxyEnd<unknown>): void {
    this.ends.delete(end.id);
    if (end instanceof ProxyWriter) end.channel.writers.delete(end);
  }

  /** This side let go of an end of `channel`: its writers wait for proof the home has seen it. */
  suspect(channel: ChannelState): void {
    channel.suspectUntil = this.host.nextOp;
    this.suspects.add(channel);
  }

  /** An answer to operation `op` arrived: the home has seen everything sent before it. */
  cleared(op: number): void {
    if (this.suspects.size === 0) return;
    for (const channel of this.suspects) {
      if (op < channel.suspectUntil) continue;
      channel.suspectUntil = 0;
      this.suspects.delete(channel);
    }
  }

  /** Credit the home granted `end` (a writer) without being asked. */
  credit(end: ProxyEnd<unknown> | undefined, amount: number): void {
    if (end instanceof ProxyWriter && end.state === OPEN && end.channel.poisoned === null && !end.channel.readersRetired) end.credit += amount;
  }

  /** An answer about one end. An end no longer known here may legitimately be told of (a grant in flight when it retired). */
  endAnswer(m: Opened | EndFailed | Credit | Revoke | Recall, rebuild: (m: EndFailed) => Error): void {
    const end = this.ends.get(m.end);
    switch (m.kind) {
      case 'opened':
        return this.credit(end, m.credit);
      case 'credit':
        return this.credit(end, m.amount);
      case 'end-failed':
        if (end === undefined) return;
        end.refusal = rebuild(m);
        if (end instanceof ProxyWriter) end.credit = 0;
        return;
      case 'recall':
        if (end instanceof ProxyReader) end.recall(m.op);
        return;
      case 'revoke': {
        const amount = end instanceof ProxyWriter ? end.credit : 0;
        if (end instanceof ProxyWriter) end.credit = 0;
        return this.host.send({ kind: 'return-credit', end: m.end, amount });
      }
    }
  }

  /** What the home tells about a channel; one this link does not know is a ProtocolError. */
  notice(m: ChannelNotice, error: unknown): void {
    const state = this.channels.get(m.channel);
    if (state === undefined) throw new ProtocolError(this.host.peer, `a "channel" message names channel ${m.channel}, unknown on this link`);
    switch (m.event) {
      case 'poisoned':
        state.poisoned ??= error instanceof PoisonError ? error : new PoisonError(error, { channel: state.name });
        state.dropCredit();
        return;
      case 'readers-retired':
        state.readersRetired = true;
        state.dropCredit();
        return;
      case 'writers-retired':
        state.writersRetired = true;
        return;
      case 'drained':
        state.writersRetired = state.drained = true;
        return;
      case 'refused':
        state.refused = error instanceof Error ? error : new Error(String(error));
        state.dropCredit();
        for (const end of this.ends.values()) if (end.channel === state) end.refusal ??= state.refused;
        return;
    }
  }

  /** The link is lost: every end fails with `cause` from now on. */
  fail(cause: Error): void {
    this.failed = cause;
    for (const end of this.ends.values()) {
      end.refusal ??= cause;
      if (end instanceof ProxyWriter) end.credit = 0;
    }
  }
}
