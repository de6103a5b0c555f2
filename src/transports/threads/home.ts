/**
 * The home of channels: where a channel lives as an ordinary core channel, and where every
 * operation a proxy sends is performed on a real core end made for that proxy. The real end is
 * held on behalf of a ProcessRecord standing for the remote process (a stand-in), so the core's
 * retirement, poison and deadlock detection work unchanged across threads.
 *
 * Requests (proxy -> home), with `e` an end id, `id` an operation id (0: no answer wanted):
 *   r   {id, e, max, sig}        read (max 0) or readMany(max)
 *   w   {id, e, d, n, sig}       write n values encoded as one batch; id 0: written on credit
 *   x   {id}                     cancel (abort) operation id; loses if it already committed
 *   ret {e} · poi {e, r}         retire / poison the end
 *   hold {e, p, pn} · rel {e, p, k, r, o}   a remote process holds / lets go of the end
 *   alt {id, pri, g, sig}        a whole alt whose channel guards all live here
 *   try {e, d?} · open {c, s} · chan {o}    synchronous: tryRead/tryWrite, make an end, make a channel
 *   ping {id}                    answered once this home has gone idle (settle)
 * Answers: ok {id, d?, g?, i?} · err {id, x, ab?} · pong {id} · term {c} (credit withdrawn).
 *
 * Invariants:
 * - writes and retire/release of one end are performed in arrival order (`tail` chains them);
 * - ch.outstanding = the sum over the channel's ends of credit granted and not yet used, and a
 *   grant never exceeds the buffer's free space minus the others' outstanding credit.
 */
import { CodecError, decodeBatch, encodeBatch, type Codec } from '../../codec/codec.js';
import { alt, input, output, priAlt, skip, timeout, type Guard } from '../../core/alt.js';
import { toBufferSpec } from '../../core/buffer.js';
import { ChannelCore, DEFAULT_MAX_PENDING } from '../../core/channel-core.js';
import type { Channel, ChannelOptions } from '../../core/chan.js';
import { ReaderEnd, WriterEnd, type End, type Ending } from '../../core/ends.js';
import { currentRuntime } from '../../core/runtime.js';
import { PoisonError } from '../../core/errors.js';
import { ProcessRecord } from '../../core/process-record.js';
import type { Frame, Link } from './link.js';
import { fromWire, POISON_TOKEN, toWire, type WireValue } from './wire-errors.js';

/** Marks a PoisonError just made by a remote poison with that poison's token (first poison only). */
function tag(error: PoisonError | null, token: unknown): void {
  if (error !== null && typeof token === 'number' && !Object.hasOwn(error, POISON_TOKEN)) {
    Object.defineProperty(error, POISON_TOKEN, { value: token, enumerable: false });
  }
}

/** Credit a writer gets on a dropping or sliding channel (writes never wait there). */
const NONBLOCKING_WINDOW = 4096;
/** No single grant exceeds this, so one writer cannot hog a huge buffer's space. */
const MAX_GRANT = 1 << 16;

export interface HomeChannel {
  readonly id: number;
  readonly channel: Channel<unknown>;
  readonly core: ChannelCore<unknown>;
  readonly codec: Codec<unknown>;
  outstanding: number;
}

export interface HomeEnd {
  readonly id: number;
  readonly end: End<unknown>;
  readonly ch: HomeChannel;
  /** The last queued write / retire / release of this end, or null when none is pending. */
  tail: Promise<void> | null;
  outstanding: number;
  /** Writes made on credit that are queued or waiting here (not yet in the channel). */
  credited: number;
  /** Writes waiting for an answer, queued or waiting here (their answer carries the next grant). */
  acked: number;
}

/** The channels and ends living in this thread, shared by the homes of all its links. */
export class HomeRegistry {
  readonly channels = new Map<number, HomeChannel>();
  readonly ends = new Map<number, HomeEnd>();
  private nextChannel = 1;
  private nextEnd = 1;

  /** Makes a channel living in this thread (a core channel of the current runtime). */
  addChannel(options: ChannelOptions, codec: Codec<unknown>, id = this.nextChannel++): HomeChannel {
    const runtime = currentRuntime();
    const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    const core = new ChannelCore<unknown>(options.name ?? runtime.nextChannelName(), toBufferSpec(options.buffer), maxPending, runtime);
    const channel: Channel<unknown> = { name: core.name, reader: () => new ReaderEnd(core), writer: () => new WriterEnd(core) };
    const ch: HomeChannel = { id, channel, core, codec, outstanding: 0 };
    this.channels.set(id, ch);
    return ch;
  }

  /** Makes a real end on channel `c`. Throws RetiredError when that side has retired. */
  makeEnd(c: number, side: 'reader' | 'writer'): HomeEnd {
    const ch = this.channels.get(c);
    if (ch === undefined) throw new Error(`no channel ${c} lives in this thread`);
    const end: End<unknown> = side === 'reader' ? new ReaderEnd(ch.core) : new WriterEnd(ch.core);
    const he: HomeEnd = { id: this.nextEnd++, end, ch, tail: null, outstanding: 0, credited: 0, acked: 0 };
    this.ends.set(he.id, he);
    return he;
  }
}

interface StandIn {
  readonly record: ProcessRecord;
  held: number;
}

/** Serves the requests arriving on one link. */
export class Home {
  private readonly standIns = new Map<number, StandIn>();
  private readonly ops = new Map<number, AbortController>();
  private readonly watched = new Set<number>();
  /** Told of every frame that failed to decode or value that could not be encoded here. */
  onFault: (error: Error) => void = () => {};

  constructor(
    readonly registry: HomeRegistry,
    private readonly link: Link,
    private readonly codecs: ReadonlyMap<string, Codec<unknown>>,
  ) {
    link.home = (frame) => this.handle(frame);
  }

  /** Holds the ends `ids` for remote process `pid` from now on (a process the runtime spawns there). */
  preHold(pid: number, name: string, ids: readonly number[]): ProcessRecord {
    for (const id of ids) this.hold(this.endOf(id), pid, name);
    return this.standInFor(pid, name).record;
  }

  /**
   * Remote process `pid` has ended: whatever ends it still holds here (it never got to let go —
   * e.g. it failed before its body started) are let go as it ended, after its queued writes.
   */
  finish(pid: number, ending: Ending): void {
    const s = this.standIns.get(pid);
    if (s === undefined) return;
    for (const end of [...s.record.ends] as End<unknown>[]) {
      const he = [...this.registry.ends.values()].find((h) => h.end === end);
      const step = (): void => {
        if (end.holders.includes(s.record)) this.letGo(end, s, pid, ending);
      };
      if (ending.kind === 'poison' || he === undefined || he.credited === 0) step();
      else this.after(he, step);
    }
  }

  /** Stand-in `s` lets go of `end` as its process ended; the last end gone, it leaves the runtime. */
  private letGo(end: End<unknown>, s: StandIn, pid: number, ending: Ending, token?: unknown): void {
    const before = end.core.poisoned;
    end.release(s.record, ending);
    if (before === null) tag(end.core.poisoned, token);
    s.held--;
    if (s.held === 0) {
      this.standIns.delete(pid);
      end.core.runtime.live.delete(s.record);
      end.core.runtime.noteChange();
    }
  }

  /** Poisons every end held for the remote side with `cause` (its thread died). */
  poisonAll(cause: Error): void {
    for (const s of this.standIns.values()) {
      const runtime = this.runtimeOf(s);
      for (const end of [...s.record.ends] as End<unknown>[]) end.poisonFrom(cause, undefined);
      s.record.ends.length = 0;
      runtime?.live.delete(s.record);
      runtime?.noteChange();
    }
    this.standIns.clear();
  }

  private runtimeOf(s: StandIn) {
    const end = s.record.ends[0] as End<unknown> | undefined;
    return end?.core.runtime;
  }

  private handle(f: Frame): void {
    switch (f.t) {
      case 'r':
        return this.read(f);
      case 'w':
        return this.write(f);
      case 'x':
        this.ops.get(f['id'] as number)?.abort();
        return;
      case 'ret': {
        // Values written on credit count as buffered: they go in before the end leaves. A write
        // still waiting for its answer is this end's own pending operation: retiring fails it.
        const he = this.endOf(f['e'] as number);
        if (he.credited === 0) he.end.retire();
        else this.after(he, () => he.end.retire());
        return;
      }
      case 'poi': {
        const he = this.endOf(f['e'] as number);
        tag(he.end.poisonFrom(fromWire(f['r'] as WireValue), undefined), f['k']);
        return;
      }
      case 'hold':
        this.hold(this.endOf(f['e'] as number), f['p'] as number, f['pn'] as string, f['kp'] === true);
        return;
      case 'rel':
        return this.release(f);
      case 'alt':
        return this.alt(f);
      case 'try':
        return this.link.answer(this.tryOp(f));
      case 'open':
        return this.reply(f, this.open(f));
      case 'chan':
        return this.reply(f, this.makeChannel(f));
      case 'ping':
        setImmediate(() => setImmediate(() => this.link.send({ t: 'pong', id: f['id'] })));
        return;
      default:
        throw new Error(`thread home: unknown frame "${f.t}"`);
    }
  }

  /** Answers a request made synchronously (no id) or asynchronously (with an id). */
  private reply(f: Frame, answer: Frame): void {
    if (f['id'] === undefined) this.link.answer(answer);
    else this.link.send({ ...answer, id: f['id'] });
  }

  private endOf(id: number): HomeEnd {
    const he = this.registry.ends.get(id);
    if (he === undefined) throw new Error(`thread home: no end ${id}`);
    return he;
  }

  private signalFor(f: Frame): AbortSignal | undefined {
    if (f['sig'] !== 1) return undefined;
    const controller = new AbortController();
    this.ops.set(f['id'] as number, controller);
    return controller.signal;
  }

  private settle<V>(f: Frame, op: Promise<V>, reply: (value: V) => Frame): void {
    const id = f['id'] as number;
    const signal = f['sig'] === 1 ? this.ops.get(id)?.signal : undefined;
    op.then(
      (value) => {
        this.ops.delete(id);
        if (id !== 0) this.link.send(reply(value));
      },
      (error: unknown) => {
        this.ops.delete(id);
        if (id !== 0) this.link.send({ t: 'err', id, x: toWire(error), ab: signal?.aborted === true && !(error instanceof PoisonError) ? 1 : 0 });
      },
    );
  }

  private read(f: Frame): void {
    const he = this.endOf(f['e'] as number);
    const reader = he.end as ReaderEnd<unknown>;
    const signal = this.signalFor(f);
    const options = signal === undefined ? undefined : { signal };
    const max = f['max'] as number;
    const op = max === 0 ? reader.read(options).then((v) => [v]) : reader.readMany(max, options);
    this.settle(f, op, (values) => {
      try {
        return { t: 'ok', id: f['id'], d: encodeBatch(he.ch.codec, values) };
      } catch (cause) {
        const error = new CodecError(he.ch.core.name, he.ch.codec.name, 'encode', cause);
        this.onFault(error);
        const poison = he.ch.core.poison(error, { channel: he.ch.core.name });
        return { t: 'err', id: f['id'], x: toWire(poison) };
      }
    });
  }

  private write(f: Frame): void {
    const he = this.endOf(f['e'] as number);
    const id = f['id'] as number;
    const n = f['n'] as number;
    // Credit is reserved space. A value written on credit uses its own reservation; one waiting
    // for an answer uses this end's reservation too if it has one (it will take that space), and
    // the answer takes the credit back from the writer (a negative grant).
    const used = Math.min(he.outstanding, n);
    he.outstanding -= used;
    he.ch.outstanding = Math.max(0, he.ch.outstanding - used);
    const consumed = id === 0 ? 0 : used;
    if (id !== 0) he.acked++;
    let values: unknown[];
    try {
      values = decodeBatch(he.ch.codec, f['d'] as Uint8Array);
    } catch (cause) {
      const error = new CodecError(he.ch.core.name, he.ch.codec.name, 'decode', cause);
      this.onFault(error);
      const poison = he.ch.core.poison(error, { channel: he.ch.core.name });
      if (id !== 0) this.link.send({ t: 'err', id, x: toWire(poison) });
      return;
    }
    this.watch(he.ch);
    const signal = this.signalFor(f);
    const writer = he.end as WriterEnd<unknown>;
    const run = (): Promise<void> =>
      values.length === 1 ? writer.write(values[0], signal === undefined ? undefined : { signal }) : writer.writeMany(values, signal === undefined ? undefined : { signal });
    // A single value waiting for its answer goes straight to the channel (the channel's own queue
    // keeps it in order, and counts it against maxPending); batches and credited writes are chained,
    // so a batch is never overtaken by this end's next write.
    const op = id !== 0 && values.length === 1 && he.tail === null ? run() : this.chain(he, run);
    if (id === 0) {
      he.credited++;
      op.then(
        () => {
          he.credited--;
          this.topUp(he);
        },
        () => {
          he.credited--;
        },
      );
    }
    if (id !== 0) {
      const done = (): void => {
        he.acked--;
      };
      op.then(done, done);
    }
    this.settle(f, op, () => ({ t: 'ok', id, g: this.grant(he) - consumed }));
  }

  /** Runs `step` after the end's queued steps (at once if none); the chain survives failures. */
  private chain(he: HomeEnd, step: () => Promise<void>): Promise<void> {
    const op = he.tail === null ? step() : he.tail.then(step);
    const tail = op.then(
      () => {},
      () => {},
    );
    he.tail = tail;
    void tail.then(() => {
      if (he.tail === tail) he.tail = null;
    });
    return op;
  }

  private after(he: HomeEnd, step: () => void): void {
    if (he.tail === null) step();
    else
      this.chain(he, async () => {
        step();
      }).catch(() => {});
  }

  /**
   * More credit for a writer: free buffer space not promised to any writer, up to MAX_GRANT
   * outstanding for this end. Grants add up; each value written on credit uses one.
   */
  private grant(he: HomeEnd): number {
    const core = he.ch.core;
    const buffer = core.buffer;
    if (buffer === null || core.poisoned !== null || core.readersRetired) return 0;
    const room = core.overflow === 'wait' ? buffer.capacity - buffer.size - he.ch.outstanding : NONBLOCKING_WINDOW - he.outstanding;
    const g = Math.max(0, Math.min(this.limit(he) - he.outstanding, room));
    he.ch.outstanding += g;
    he.outstanding += g;
    return g;
  }

  /** The most credit one writer holds at once: half the buffer (so it refills while the reader drains), capped. */
  private limit(he: HomeEnd): number {
    const capacity = he.ch.core.buffer?.capacity ?? 0;
    if (he.ch.core.overflow !== 'wait') return NONBLOCKING_WINDOW;
    return Math.min(MAX_GRANT, Math.max(1, capacity >> 1));
  }

  /** After a credited batch went in: top the writer's credit up if there is room for a good batch. */
  private topUp(he: HomeEnd): void {
    if (he.end.state !== 0 || he.ch.core.buffer === null || he.acked > 0) return;
    if (he.outstanding > this.limit(he) / 2) return;
    const g = this.grant(he);
    if (g > 0) this.link.send({ t: 'g', e: he.id, g });
  }

  /** Tells the other side when a channel it writes on credit is poisoned or its readers retire. */
  private watch(ch: HomeChannel): void {
    if (this.watched.has(ch.id) || ch.core.buffer === null) return;
    this.watched.add(ch.id);
    ch.core.onTerminate.add(() => this.link.send({ t: 'term', c: ch.id }));
  }

  private standInFor(pid: number, name: string, keeper = false): StandIn {
    let s = this.standIns.get(pid);
    if (s === undefined) {
      s = { record: new ProcessRecord(name, keeper), held: 0 };
      this.standIns.set(pid, s);
    }
    return s;
  }

  private hold(he: HomeEnd, pid: number, name: string, keeper = false): void {
    const s = this.standInFor(pid, name, keeper);
    if (he.end.holders.includes(s.record)) return;
    he.end.hold(s.record);
    s.held++;
    // A keeper (a remote seq) is no process: it never runs, so it is not among the live ones.
    if (s.held === 1 && !keeper) he.end.core.runtime.live.add(s.record);
  }

  private release(f: Frame): void {
    const he = this.endOf(f['e'] as number);
    const s = this.standIns.get(f['p'] as number);
    if (s === undefined) return;
    const ending =
      f['k'] === 'retire'
        ? ({ kind: 'retire' } as const)
        : ({ kind: 'poison', reason: fromWire(f['r'] as WireValue), origin: f['o'] as PoisonError['origin'] | undefined } as const);
    const step = (): void => {
      if (he.end.holders.includes(s.record)) this.letGo(he.end, s, f['p'] as number, ending, f['tk']);
    };
    if (ending.kind === 'poison' || he.credited === 0) step();
    else this.after(he, step);
  }

  private alt(f: Frame): void {
    const specs = f['g'] as Frame[];
    const id = f['id'] as number;
    const guards: Guard[] = [];
    const codecs: (Codec<unknown> | null)[] = [];
    try {
      for (const g of specs) {
        if (g.t === 'i') {
          const he = this.endOf(g['e'] as number);
          guards.push(input(he.end as ReaderEnd<unknown>));
          codecs.push(he.ch.codec);
        } else if (g.t === 'o') {
          const he = this.endOf(g['e'] as number);
          const [value] = decodeBatch(he.ch.codec, g['d'] as Uint8Array);
          guards.push(output(he.end as WriterEnd<unknown>, value));
          codecs.push(null);
        } else {
          guards.push(g.t === 't' ? timeout(g['ms'] as number) : g.t === 's' ? skip() : skip({ when: false }));
          codecs.push(null);
        }
      }
    } catch (error) {
      this.link.send({ t: 'err', id, x: toWire(error) });
      return;
    }
    const signal = this.signalFor(f);
    const options = signal === undefined ? undefined : { signal };
    const op = f['pri'] === 1 ? priAlt(guards, options) : alt(guards, options);
    this.settle(f, op, (outcome) => {
      const codec = codecs[outcome.index];
      return { t: 'ok', id, i: outcome.index, d: codec === null || codec === undefined ? undefined : encodeBatch(codec, [outcome.value]) };
    });
  }

  private tryOp(f: Frame): Frame {
    const he = this.endOf(f['e'] as number);
    try {
      if (f['d'] === undefined) {
        const result = (he.end as ReaderEnd<unknown>).tryRead();
        return result.ok ? { t: 'ok', d: encodeBatch(he.ch.codec, [result.value]) } : { t: 'ok', reason: result.reason };
      }
      const [value] = decodeBatch(he.ch.codec, f['d'] as Uint8Array);
      if (he.tail !== null) return { t: 'ok', reason: 'full' };
      const result = (he.end as WriterEnd<unknown>).tryWrite(value);
      return result.ok ? { t: 'ok' } : { t: 'ok', reason: result.reason };
    } catch (error) {
      return { t: 'err', x: toWire(error) };
    }
  }

  private open(f: Frame): Frame {
    try {
      const he = this.registry.makeEnd(f['c'] as number, f['s'] as 'reader' | 'writer');
      return { t: 'ok', e: he.id };
    } catch (error) {
      return { t: 'err', x: toWire(error) };
    }
  }

  private makeChannel(f: Frame): Frame {
    const o = f['o'] as ChannelOptions & { codec: string };
    const codec = this.codecs.get(o.codec);
    if (codec === undefined) return { t: 'err', x: toWire(new Error(`no codec "${o.codec}" is registered in this thread`)) };
    try {
      const ch = this.registry.addChannel(o, codec);
      return { t: 'ok', c: ch.id, name: ch.core.name };
    } catch (error) {
      return { t: 'err', x: toWire(error) };
    }
  }
}
