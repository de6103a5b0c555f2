/**
 * The proxies' side of one link: makes proxy ends and remote channels (optimistically: the ids
 * are chosen here, so an end exists at once and its first operation follows its `open`), sends
 * their requests, and settles them with the home's answers. It also keeps what the home tells
 * about channels (proxy-channel.ts) and credit, and rebuilds errors that come back.
 *
 * Invariants:
 * - `pending` holds every operation sent and not yet answered; after `fail`, it is empty and
 *   every new operation fails at once with the same cause;
 * - ids chosen here are > 0 (ends, channels, pids), unique on the link;
 * - a proxy is in `ends` while it may still be told something (credit, a refusal, a revoke).
 */
import type { Codec } from '../codec/codec.js';
import type { Channel, ChannelOptions } from '../core/chan.js';
import { checkChannelOptions } from '../core/chan.js';
import { OPEN } from '../core/channel-core.js';
import type { Reader, Writer } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import type { ProcessRecord } from '../core/process-record.js';
import { currentRuntime } from '../core/runtime.js';
import { ProtocolError } from './errors.js';
import type { Link, OpenBatch } from './link.js';
import { ChannelState } from './proxy-channel.js';
import { ProxyPlace } from './proxy-alt.js';
import type { ProxyEnd, ProxyHost, Reply } from './proxy-end.js';
import { ProxyReader } from './proxy-reader.js';
import { ProxyWriter } from './proxy-writer.js';
import type { Answer, ChannelNotice, Request, WireValue } from './protocol.js';
import type { ErrorTable } from './wire-errors.js';

/** Links whose messages are at most this big check each value's size at the write (see ProxyWriter). */
const MEASURE_EACH_BELOW = 16 * 1024 * 1024;

interface Pending {
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: unknown) => void;
  /** Value batches of a read answered in several parts, so far. */
  parts: Uint8Array[] | null;
}

/** A channel to make at the peer: chan() options and the codec its values cross with. */
export interface RemoteChannelSpec<T> extends ChannelOptions {
  readonly codec: Codec<T>;
}

export class Client implements ProxyHost {
  readonly place: ProxyPlace;
  readonly measureEach: boolean;
  private readonly pending = new Map<number, Pending>();
  private readonly ends = new Map<number, ProxyEnd<unknown>>();
  private readonly channels = new Map<number, ChannelState>();
  private readonly pids = new WeakMap<ProcessRecord, number>();
  /** Poison reasons sent from here, by token: a PoisonError coming back carries its own. */
  private readonly reasons = new Map<number, unknown>();
  /** Channels whose writers wait for proof the home has seen this side let go of an end. */
  private readonly suspects = new Set<ChannelState>();
  private nextOp = 1;
  private nextId = 1;
  private nextToken = 1;
  private failed: Error | null = null;

  constructor(
    private readonly link: Link,
    private readonly errors: ErrorTable,
    /** Names the peer on an error that came from it (threads: `worker`). */
    private readonly mark: (error: unknown) => void,
    /** Where the peer is, in words (`worker 3`). */
    description: string,
  ) {
    this.place = new ProxyPlace(description, () => this);
    this.measureEach = link.maxMessageBytes < MEASURE_EACH_BELOW;
  }

  get maxDataBytes(): number {
    return this.link.maxDataBytes;
  }

  // ---- ids --------------------------------------------------------------------------------------

  pidOf(process: ProcessRecord): number {
    let pid = this.pids.get(process);
    if (pid === undefined) {
      pid = this.nextId++;
      this.pids.set(process, pid);
    }
    return pid;
  }

  adopt(process: ProcessRecord, pid: number): void {
    this.pids.set(process, pid);
  }

  remember(reason: unknown): number {
    const token = this.nextToken++;
    if (typeof reason === 'object' || typeof reason === 'function') this.reasons.set(token, reason);
    return token;
  }

  // ---- channels and ends --------------------------------------------------------------------------

  /**
   * A channel living at the peer, made now: options are checked here as chan() checks them (a bad
   * one throws at once); `channelOf` hands out its ends, proxies made without waiting.
   */
  makeChannel<T>(spec: RemoteChannelSpec<T>): ChannelState {
    const { spec: buffer, maxPending } = checkChannelOptions(spec);
    const name = spec.name ?? currentRuntime().nextChannelName();
    const state = new ChannelState(this.nextId++, name, spec.codec as Codec<unknown>);
    this.channels.set(state.id, state);
    this.send({ kind: 'make-channel', channel: state.id, name, buffer: buffer === null ? null : { kind: buffer.kind, capacity: buffer.capacity }, maxPending, codec: spec.codec.name });
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
    const id = this.nextId++;
    this.send({ kind: 'open', channel: state.id, end: id, side });
    return this.proxy(state, side, id, null);
  }

  /** The state of a channel living at the peer, known here as `id` on this link. */
  channel(id: number, name: string, codec: Codec<unknown>): ChannelState {
    let state = this.channels.get(id);
    if (state === undefined) this.channels.set(id, (state = new ChannelState(id, name, codec)));
    return state;
  }

  /** A proxy for an end the peer already made and holds for process `pid` (one the peer spawned here). */
  proxy(state: ChannelState, side: 'reader' | 'writer', id: number, preheld: number | null): ProxyEnd<unknown> {
    if (this.ends.has(id)) throw new ProtocolError(this.link.peer, `end id ${id} is already used on this link`);
    const end = side === 'reader' ? new ProxyReader<unknown>(this, id, state, preheld) : new ProxyWriter<unknown>(this, id, state, preheld);
    this.ends.set(id, end);
    if (this.failed !== null) end.refusal = this.failed;
    return end;
  }

  /** `end` has left (retired or poisoned here): nothing more needs telling it. */
  forget(end: ProxyEnd<unknown>): void {
    this.ends.delete(end.id);
    if (end instanceof ProxyWriter) end.channel.writers.delete(end);
  }

  suspect(channel: ChannelState): void {
    channel.suspectUntil = this.nextOp;
    this.suspects.add(channel);
  }

  /** An answer to operation `op` arrived: the home has seen everything sent before it. */
  private cleared(op: number): void {
    if (this.suspects.size === 0) return;
    for (const channel of this.suspects) {
      if (op < channel.suspectUntil) continue;
      channel.suspectUntil = 0;
      this.suspects.delete(channel);
    }
  }

  /** Credit the home granted `end` (a writer) without being asked. */
  credit(end: ProxyEnd<unknown>, amount: number): void {
    if (end instanceof ProxyWriter && end.state === OPEN && end.channel.poisoned === null && !end.channel.readersRetired) end.credit += amount;
  }

  // ---- requests ------------------------------------------------------------------------------------

  send(message: Request): void {
    this.link.send(message);
  }

  gather(owner: unknown, values: readonly unknown[], open: () => OpenBatch): void {
    this.link.gather(owner, values, open);
  }

  call(make: (op: number) => Request, signal: AbortSignal | undefined): Promise<Reply> {
    if (this.failed !== null) return Promise.reject(this.failed);
    const op = this.nextOp++;
    return new Promise<Reply>((resolve, reject) => {
      let release = (): void => {};
      if (signal !== undefined) {
        const onAbort = (): void => this.link.send({ kind: 'cancel', op });
        signal.addEventListener('abort', onAbort, { once: true });
        release = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(op, {
        resolve: (reply) => {
          release();
          resolve(reply);
        },
        reject: (error) => {
          release();
          reject(error);
        },
        parts: null,
      });
      this.link.send(make(op));
    });
  }

  /** Resolves once the peer has handled everything sent before and gone idle. */
  settle(): Promise<void> {
    return this.call((op) => ({ kind: 'ping', op }), undefined).then(() => {});
  }

  toWire(value: unknown): WireValue {
    return this.errors.toWire(value);
  }

  rebuild(wire: WireValue): unknown {
    const error = this.errors.fromWire(wire, (token) => this.reasons.get(token));
    this.mark(error);
    return error;
  }

  // ---- answers -------------------------------------------------------------------------------------

  /** Serves an answer or notice from the peer; one naming nothing known here is a ProtocolError. */
  answer(m: Answer): void {
    if ('op' in m) this.cleared(m.op);
    switch (m.kind) {
      case 'values': {
        const p = this.pending.get(m.op);
        if (p === undefined) return this.unknown(m.kind, `operation ${m.op}`);
        (p.parts ??= []).push(m.data);
        if (!m.last) return;
        this.pending.delete(m.op);
        return p.resolve({ answer: m, parts: p.parts });
      }
      case 'written':
      case 'alt-done':
      case 'failed':
      case 'pong': {
        const p = this.pending.get(m.op);
        if (p === undefined) return this.unknown(m.kind, `operation ${m.op}`);
        this.pending.delete(m.op);
        return p.resolve({ answer: m, parts: [] });
      }
      case 'opened': {
        const end = this.ends.get(m.end);
        if (end !== undefined) this.credit(end, m.credit);
        return;
      }
      case 'end-failed': {
        const end = this.ends.get(m.end);
        if (end === undefined) return;
        end.refusal = asError(this.rebuild(m.error));
        if (end instanceof ProxyWriter) end.credit = 0;
        return;
      }
      case 'credit': {
        const end = this.ends.get(m.end);
        if (end !== undefined) this.credit(end, m.amount);
        return;
      }
      case 'revoke': {
        const end = this.ends.get(m.end);
        const amount = end instanceof ProxyWriter ? end.credit : 0;
        if (end instanceof ProxyWriter) end.credit = 0;
        return this.send({ kind: 'return-credit', end: m.end, amount });
      }
      case 'channel':
        return this.notice(m);
    }
  }

  private notice(m: ChannelNotice): void {
    const state = this.channels.get(m.channel);
    if (state === undefined) return this.unknown(m.kind, `channel ${m.channel}`);
    const error = m.error === null ? null : this.rebuild(m.error);
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
        state.refused = asError(error);
        state.dropCredit();
        for (const end of this.ends.values()) if (end.channel === state) end.refusal ??= state.refused;
        return;
    }
  }

  private unknown(kind: string, what: string): void {
    throw new ProtocolError(this.link.peer, `a "${kind}" message names ${what}, unknown on this link`);
  }

  /** The peer is gone: every waiting operation, and every later one, fails with `cause`. */
  fail(cause: Error): void {
    if (this.failed !== null) return;
    this.failed = cause;
    for (const p of this.pending.values()) p.reject(cause);
    this.pending.clear();
    for (const end of this.ends.values()) {
      end.refusal ??= cause;
      if (end instanceof ProxyWriter) end.credit = 0;
    }
  }
}

function asError(x: unknown): Error {
  return x instanceof Error ? x : new Error(String(x));
}

