/**
 * Proxy ends: a Reader or Writer whose channel lives in another thread. Every operation becomes
 * a frame to the channel's home (see home.ts), which performs it on a real end and answers.
 * Writes on a buffered channel go ahead on credit — up to the buffer space the home granted, a
 * write resolves as soon as it is sent, exactly as if it were buffered — so a stream costs one
 * message per batch, not per value. try-operations ask synchronously (they must not wait, and
 * must answer what the channel says now).
 *
 * Invariants:
 * - `pending` holds every operation sent with an id and not yet answered;
 * - a proxy's credit is spent in send order, and is 0 after the home says the channel ended;
 * - an aborted operation settles only on the home's answer: if it had committed, the result stands.
 */
import { CodecError, decodeBatch, encodeBatch, rejectUncarriable, type Codec } from '../../codec/codec.js';
import type { AltOutcome, Guard } from '../../core/alt.js';
import { OPEN, POISONED, RETIRED } from '../../core/channel-core.js';
import { processEnd, type Ending, type OpOptions, type Reader, type TryReadResult, type TryWriteResult, type Writer } from '../../core/ends.js';
import { abortError, PoisonError, RetiredError, type Site } from '../../core/errors.js';
import { addHolder, removeHolder } from '../../core/holding.js';
import { writeAllVia } from '../../core/write-all.js';
import type { ProcessRecord } from '../../core/process-record.js';
import type { Frame, Link, OpenBatch } from './link.js';

const RESOLVED: Promise<void> = Promise.resolve();
import { fromWire, markWorker, toWire, type WireValue } from './wire-errors.js';

interface Pending {
  resolve(frame: Frame): void;
  reject(error: unknown): void;
}

/** The proxies of one link, and the operations they are waiting on. */
export class Client {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly pids = new WeakMap<ProcessRecord, number>();
  private nextPid = 1;
  readonly writers = new Map<number, Set<ProxyWriter<unknown>>>();
  private failure: Error | null = null;
  /** Poison reasons sent from this thread, by token: a PoisonError coming back carries its own. */
  private readonly reasons = new Map<number, unknown>();

  constructor(readonly link: Link) {
    link.client = (frame) => this.answer(frame);
  }

  /** A process id for `record`, unique on this link. */
  pidOf(record: ProcessRecord): number {
    let pid = this.pids.get(record);
    if (pid === undefined) {
      pid = this.nextPid++;
      this.pids.set(record, pid);
    }
    return pid;
  }

  /** Associates a process record with a pid chosen by the other side (a process it spawned here). */
  adopt(record: ProcessRecord, pid: number): void {
    this.pids.set(record, pid);
  }

  /** Sends `frame` with a fresh id and returns the answer; aborting sends a cancel. */
  call(frame: Frame, signal: AbortSignal | undefined): Promise<Frame> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Frame>((resolve, reject) => {
      let release = (): void => {};
      if (signal !== undefined) {
        const onAbort = (): void => this.link.send({ t: 'x', id });
        signal.addEventListener('abort', onAbort, { once: true });
        release = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(id, {
        resolve: (f) => {
          release();
          resolve(f);
        },
        reject: (e) => {
          release();
          reject(e);
        },
      });
      this.link.send({ ...frame, id, sig: signal === undefined ? 0 : 1 });
    });
  }

  /** A synchronous request; throws the home's error. */
  ask(frame: Frame): Frame {
    if (this.failure !== null) throw this.failure;
    const reply = this.link.request(frame);
    if (reply.t === 'err') throw this.rebuild(reply['x'] as WireValue);
    return reply;
  }

  send(frame: Frame): void {
    this.link.send(frame);
  }

  /** A token for a poison reason sent from here, so the PoisonError coming back carries the very object. */
  remember(reason: unknown): number {
    const token = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
    if (typeof reason === 'object' || typeof reason === 'function') this.reasons.set(token, reason);
    return token;
  }

  /** This thread retired or poisoned an end of channel `c`: writing ahead on credit stops there. */
  withdrawCredit(c: number): void {
    for (const w of this.writers.get(c) ?? []) w.credit = 0;
  }

  rebuild(wire: WireValue): unknown {
    const error = fromWire(wire, (token) => this.reasons.get(token));
    if (this.link.peer !== 0) markWorker(error, this.link.peer);
    return error;
  }

  /** The other thread is gone: every waiting operation, and every later one, fails with `cause`. */
  fail(cause: Error): void {
    this.failure = cause;
    for (const p of this.pending.values()) p.reject(cause);
    this.pending.clear();
  }

  /** Writers by end id, for credit top-ups. */
  readonly byEnd = new Map<number, ProxyWriter<unknown>>();

  private answer(f: Frame): void {
    if (f.t === 'term') {
      for (const w of this.writers.get(f['c'] as number) ?? []) w.credit = 0;
      return;
    }
    if (f.t === 'g') {
      const w = this.byEnd.get(f['e'] as number);
      if (w !== undefined && w.state === OPEN) w.credit += f['g'] as number;
      return;
    }
    const id = f['id'] as number;
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    p.resolve(f);
  }
}

/** What a proxy knows of its channel. */
export interface ProxyChannel {
  readonly id: number;
  readonly name: string;
  readonly codec: Codec<unknown>;
}

abstract class ProxyEnd<T> {
  readonly [processEnd] = true as const;
  state = OPEN;
  readonly holders: ProcessRecord[] = [];
  /** A pid the other side already holds this end for; taken by the first process to hold it. */
  private preheld: number | null;

  constructor(
    readonly client: Client,
    readonly id: number,
    readonly channel: ProxyChannel,
    preheld: number | null,
  ) {
    this.preheld = preheld;
  }

  get channelName(): string {
    return this.channel.name;
  }

  get alive(): boolean {
    return this.state === OPEN;
  }

  protected retiredError(): RetiredError {
    return new RetiredError('end-retired', this.channel.name);
  }

  protected get codec(): Codec<T> {
    return this.channel.codec as Codec<T>;
  }

  /** The answer's error, rebuilt; an abort the home confirmed becomes the local signal's reason. */
  protected failure(f: Frame, signal: AbortSignal | undefined): unknown {
    if (f['ab'] === 1 && signal !== undefined) return abortError(signal);
    return this.client.rebuild(f['x'] as WireValue);
  }

  protected decode(f: Frame): T[] {
    try {
      return decodeBatch(this.codec, f['d'] as Uint8Array);
    } catch (cause) {
      const error = new CodecError(this.channel.name, this.codec.name, 'decode', cause);
      this.client.send({ t: 'poi', e: this.id, r: toWire(error), k: this.client.remember(error) });
      throw new PoisonError(error, { channel: this.channel.name });
    }
  }

  retire(): void {
    if (this.state !== OPEN) return;
    this.state = RETIRED;
    this.client.withdrawCredit(this.channel.id);
    this.client.send({ t: 'ret', e: this.id });
  }

  poison(reason?: unknown): void {
    this.poisonFrom(reason, undefined);
  }

  poisonFrom(reason: unknown, _origin: Site | undefined): null {
    if (this.state !== OPEN) return null;
    this.state = POISONED;
    this.client.withdrawCredit(this.channel.id);
    this.client.send({ t: 'poi', e: this.id, r: toWire(reason), k: this.client.remember(reason) });
    return null;
  }

  /** The process that made this end while starting (see core End.giveTo), until it gives it away. */
  maker: ProcessRecord | null = null;

  /** As core End.giveTo: a process given an end its maker made takes it over. */
  giveTo(process: ProcessRecord): void {
    const maker = this.maker;
    this.hold(process);
    if (maker !== null && maker !== process) {
      this.maker = null;
      // The new holder is registered first, so at the home this only drops the maker.
      removeHolder(this, maker);
      this.client.send({ t: 'rel', e: this.id, p: this.client.pidOf(maker), k: 'retire' });
    }
  }

  hold(process: ProcessRecord): void {
    if (!addHolder(this, process)) return;
    if (this.preheld !== null) {
      this.client.adopt(process, this.preheld);
      this.preheld = null;
      return;
    }
    this.client.send({ t: 'hold', e: this.id, p: this.client.pidOf(process), pn: process.name, kp: process.keeper });
  }

  release(process: ProcessRecord, ending: Ending): void {
    if (!removeHolder(this, process)) return;
    const p = this.client.pidOf(process);
    if (this.holders.length === 0) this.client.withdrawCredit(this.channel.id);
    if (ending.kind === 'retire') this.client.send({ t: 'rel', e: this.id, p, k: 'retire' });
    else this.client.send({ t: 'rel', e: this.id, p, k: 'poison', r: toWire(ending.reason), o: ending.origin, tk: this.client.remember(ending.reason) });
    if (this.holders.length === 0 && this.state === OPEN) this.state = ending.kind === 'retire' ? RETIRED : POISONED;
  }

  /** Whole alts are run at the home; every channel guard must be a proxy of the same home. */
  offerTo(): never {
    throw new TypeError(
      `alt over channel "${this.channel.name}" (in another thread) mixed with ends of other threads: every channel guard of one alt must live in the same place`,
    );
  }

  delegateAlt(guards: readonly Guard[], priority: boolean, signal: AbortSignal | undefined): Promise<AltOutcome> {
    const specs: Frame[] = [];
    const readers: (ProxyReader<unknown> | null)[] = [];
    for (const g of guards) {
      readers.push(null);
      if (!g.enabled) specs.push({ t: 'n' });
      else if (g.kind === 'timeout') specs.push({ t: 't', ms: g.ms });
      else if (g.kind === 'skip') specs.push({ t: 's' });
      else {
        const end = g.end as unknown as ProxyEnd<unknown>;
        if (!(end instanceof ProxyEnd) || end.client !== this.client) return Promise.reject(new TypeError(this.mixMessage()));
        if (g.kind === 'input') {
          specs.push({ t: 'i', e: end.id });
          readers[readers.length - 1] = end as ProxyReader<unknown>;
        } else {
          try {
            specs.push({ t: 'o', e: end.id, d: encodeBatch(end.codec, [g.value]) });
          } catch (cause) {
            return Promise.reject(new CodecError(end.channel.name, end.codec.name, 'encode', cause));
          }
        }
      }
    }
    return this.client.call({ t: 'alt', pri: priority ? 1 : 0, g: specs }, signal).then((f) => {
      if (f.t === 'err') throw this.failure(f, signal);
      const index = f['i'] as number;
      const reader = readers[index];
      return { index, value: reader === null || reader === undefined ? undefined : reader.decode(f)[0] };
    });
  }

  private mixMessage(): string {
    return `alt over channel "${this.channel.name}" mixes ends living in different threads: every channel guard of one alt must live in the same place`;
  }
}

export class ProxyReader<T> extends ProxyEnd<T> implements Reader<T> {
  readonly side = 'reader' as const;

  read(options?: OpOptions): Promise<T> {
    return this.readMany(0, options).then((values) => values[0] as T);
  }

  /** max 0 means one value, as read. */
  readMany(max: number, options?: OpOptions): Promise<T[]> {
    if (max !== 0 && (!Number.isInteger(max) || max < 1)) return Promise.reject(new RangeError(`readMany(max): max must be an integer >= 1, got ${max}`));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return this.client.call({ t: 'r', e: this.id, max }, signal).then((f) => {
      if (f.t === 'err') throw this.failure(f, signal);
      return this.decode(f);
    });
  }

  tryRead(): TryReadResult<T> {
    const reply = this.client.ask({ t: 'try', e: this.id });
    if (reply['reason'] !== undefined) return { ok: false, reason: reply['reason'] as 'empty' | 'retired' };
    return { ok: true, value: this.decode(reply)[0] as T };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () =>
        this.read().then(
          (value): IteratorResult<T> => ({ done: false, value }),
          (error: unknown) => {
            if (error instanceof RetiredError && error.why === 'writers-retired') return { done: true, value: undefined };
            throw error;
          },
        ),
    };
  }
}

export class ProxyWriter<T> extends ProxyEnd<T> implements Writer<T> {
  readonly side = 'writer' as const;
  /** Values this writer may still send without waiting (granted by the home). */
  credit = 0;

  write(value: T, options?: OpOptions): Promise<void> {
    return this.writeMany([value], options);
  }

  writeMany(values: readonly T[], options?: OpOptions): Promise<void> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (values.length === 0) return Promise.resolve();
    if (this.state !== OPEN) this.credit = 0;
    try {
      const onCredit = Math.min(this.credit, values.length);
      if (onCredit > 0) {
        // Carried as one frame with whatever else this end writes on credit before anything else
        // is sent; a value no codec here could carry fails now, at the write.
        for (let i = 0; i < onCredit; i++) rejectUncarriable(values[i]);
        this.credit -= onCredit;
        this.client.link.gather(this, onCredit === values.length ? values : values.slice(0, onCredit), (frame) => this.openBatch(frame));
        if (onCredit === values.length) return RESOLVED;
        values = values.slice(onCredit);
      }
      const d = encodeBatch(this.codec, values);
      return this.client.call({ t: 'w', e: this.id, d, n: values.length }, signal).then((f) => {
        if (f.t === 'err') throw this.failure(f, signal);
        this.credit = Math.max(0, this.credit + (f['g'] as number));
      });
    } catch (cause) {
      return Promise.reject(new CodecError(this.channel.name, this.codec.name, 'encode', cause));
    }
  }

  writeAll(values: Iterable<T> | AsyncIterable<T>, options?: OpOptions): Promise<void> {
    return writeAllVia(this, values, options);
  }

  private openBatch(frame: Frame & { d?: unknown; n?: number; e?: number }): OpenBatch {
    const values: T[] = [];
    frame.e = this.id;
    return {
      owner: this,
      values,
      close: () => {
        frame.n = values.length;
        try {
          frame.d = encodeBatch(this.codec, values);
        } catch (cause) {
          // The writes have resolved (as if buffered); like a buffered value lost to poison, the
          // channel is poisoned with the cause instead.
          const error = new CodecError(this.channel.name, this.codec.name, 'encode', cause);
          frame.d = new Uint8Array(0);
          frame.n = 0;
          this.client.send({ t: 'poi', e: this.id, r: toWire(error), k: this.client.remember(error) });
        }
      },
    };
  }

  tryWrite(value: T): TryWriteResult {
    let d: Uint8Array;
    try {
      d = encodeBatch(this.codec, [value]);
    } catch (cause) {
      throw new CodecError(this.channel.name, this.codec.name, 'encode', cause);
    }
    const reply = this.client.ask({ t: 'try', e: this.id, d });
    return reply['reason'] !== undefined ? { ok: false, reason: reply['reason'] as 'full' | 'retired' } : { ok: true };
  }
}

/** Makes a proxy for end `id` of `channel`, living on the other side of `client`'s link. */
export function proxyEnd(client: Client, side: 'reader' | 'writer', id: number, channel: ProxyChannel, preheld: number | null = null): ProxyReader<unknown> | ProxyWriter<unknown> {
  if (side === 'reader') return new ProxyReader(client, id, channel, preheld);
  const writer = new ProxyWriter(client, id, channel, preheld);
  let set = client.writers.get(channel.id);
  if (set === undefined) client.writers.set(channel.id, (set = new Set()));
  set.add(writer as ProxyWriter<unknown>);
  client.byEnd.set(id, writer as ProxyWriter<unknown>);
  return writer;
}
