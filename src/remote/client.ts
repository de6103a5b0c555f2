/**
 * The proxies' side of one link: sends the operations of its proxies (proxy-table.ts makes them)
 * and settles each with the home's answer; keeps the ids chosen on this side and the poison
 * reasons it sent; rebuilds errors that come back.
 *
 * Invariants:
 * - `pending` holds every operation sent and not yet answered; after `fail`, it is empty and
 *   every new operation fails at once with the same cause;
 * - ids chosen here (ends, channels, pids) are > 0 and unique on the link.
 */
import type { Channel } from '../core/chan.js';
import type { ProcessRecord } from '../core/process-record.js';
import { ProtocolError } from './errors.js';
import type { Link, OpenBatch } from './link.js';
import type { Answer, Request, WireValue } from './protocol.js';
import { ProxyPlace } from './proxy-alt.js';
import type { ChannelState } from './proxy-channel.js';
import { ProxyEnd, type Reply } from './proxy-end.js';
import { ProxyTable, type RemoteChannelSpec, type TableHost } from './proxy-table.js';
import type { OfferListener, SpreadHost } from './spread-alt.js';
import type { ErrorTable } from './wire-errors.js';

export type { RemoteChannelSpec };

/** Links whose messages are at most this big check each value's size at the write (see ProxyWriter). */
const MEASURE_EACH_BELOW = 16 * 1024 * 1024;

interface Pending {
  /** Sees the answer as it arrives (see ProxyHost.call). */
  readonly onAnswer: ((answer: Answer) => void) | undefined;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: unknown) => void;
  /** Value batches of a read answered in several parts, so far. */
  parts: Uint8Array[] | null;
}

export class Client implements TableHost, SpreadHost {
  readonly place: ProxyPlace;
  readonly measureEach: boolean;
  readonly proxies: ProxyTable;
  private readonly pending = new Map<number, Pending>();
  /** Offers of alts spread over several places, by op, until withdrawn. */
  private readonly offers = new Map<number, OfferListener>();
  private readonly pids = new WeakMap<ProcessRecord, number>();
  /** Poison reasons sent from here, by token: a PoisonError coming back carries its own. */
  private readonly reasons = new Map<number, unknown>();
  nextOp = 1;
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
    this.proxies = new ProxyTable(this);
  }

  get maxDataBytes(): number {
    return this.link.maxDataBytes;
  }

  get peer(): string {
    return this.link.peer;
  }

  get self(): string {
    return this.link.self;
  }

  offer(make: (op: number) => Request, listener: OfferListener): number {
    const op = this.nextOp++;
    if (this.failed !== null) {
      const cause = this.failed;
      void Promise.resolve().then(() => listener.lost(cause));
      return op;
    }
    this.offers.set(op, listener);
    this.link.send(make(op));
    return op;
  }

  withdraw(op: number, tell: boolean): void {
    if (!this.offers.delete(op) || !tell || this.failed !== null) return;
    this.link.send({ kind: 'cancel', op });
  }

  newId(): number {
    return this.nextId++;
  }

  pidOf(process: ProcessRecord): number {
    let pid = this.pids.get(process);
    if (pid === undefined) {
      pid = this.nextId++;
      this.pids.set(process, pid);
    }
    return pid;
  }

  /** The pid `process` has on this link, if it has one (never makes one). */
  knownPid(process: ProcessRecord): number | undefined {
    return this.pids.get(process);
  }

  /** True for a proxy end of this link. */
  owns(end: unknown): boolean {
    return end instanceof ProxyEnd && end.host === this;
  }

  adopt(process: ProcessRecord, pid: number): void {
    this.pids.set(process, pid);
  }

  remember(reason: unknown): number {
    const token = this.nextToken++;
    if (typeof reason === 'object' || typeof reason === 'function') this.reasons.set(token, reason);
    return token;
  }

  /** A channel living at the peer, made now (its ends here are proxies). */
  makeChannel<T>(spec: RemoteChannelSpec<T>): { readonly channel: Channel<T>; readonly state: ChannelState } {
    const state = this.proxies.makeChannel(spec);
    return { channel: this.proxies.channelOf<T>(state), state };
  }

  forget(end: ProxyEnd<unknown>): void {
    this.proxies.forget(end);
  }

  suspect(channel: ChannelState): void {
    this.proxies.suspect(channel);
  }

  send(message: Request): void {
    this.link.send(message);
  }

  gather(owner: unknown, values: readonly unknown[], open: () => OpenBatch): void {
    this.link.gather(owner, values, open);
  }

  call(make: (op: number) => Request, signal: AbortSignal | undefined, onAnswer?: (answer: Answer) => void): Promise<Reply> {
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
        onAnswer,
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

  /** Serves an answer or notice from the peer; one naming an operation not waiting here is a ProtocolError. */
  answer(m: Answer): void {
    switch (m.kind) {
      case 'alt-claim':
      case 'alt-idle':
      case 'alt-miss':
        // An offer already withdrawn hears nothing more: what its home says meanwhile is moot.
        return this.offers.get(m.op)?.message(m);
      case 'alt-done':
      case 'failed': {
        const offer = this.offers.get(m.op);
        if (offer !== undefined) return offer.message(m);
        return this.settleOp(m);
      }
      case 'values':
      case 'written':
      case 'pong':
        return this.settleOp(m);
      case 'opened':
      case 'end-failed':
      case 'credit':
      case 'revoke':
      case 'recall':
        return this.proxies.endAnswer(m, (f) => asError(this.rebuild(f.error)));
      case 'channel':
        return this.proxies.notice(m, m.error === null ? null : this.rebuild(m.error));
    }
  }

  /** An answer to one operation (a read answered in parts settles with the last). */
  private settleOp(m: Extract<Answer, { op: number }>): void {
    this.proxies.cleared(m.op);
    const p = this.pending.get(m.op);
    if (p === undefined) throw new ProtocolError(this.link.peer, `a "${m.kind}" message names operation ${m.op}, unknown on this link`);
    if (m.kind === 'values') {
      (p.parts ??= []).push(m.data);
      if (!m.last) return;
    }
    this.pending.delete(m.op);
    p.onAnswer?.(m);
    p.resolve({ answer: m, parts: p.parts ?? [] });
  }

  /** The peer is gone: every waiting operation, and every later one, fails with `cause`. */
  fail(cause: Error): void {
    if (this.failed !== null) return;
    this.failed = cause;
    for (const p of this.pending.values()) p.reject(cause);
    this.pending.clear();
    const offers = [...this.offers.values()];
    this.offers.clear();
    for (const offer of offers) offer.lost(cause);
    this.proxies.fail(cause);
  }
}

function asError(x: unknown): Error {
  return x instanceof Error ? x : new Error(String(x));
}
