/**
 * An alt whose enabled channel guards live in several places (this station and homes across
 * links, or several homes), run by the alting process's station as the alt's arbiter
 * (arbiter.ts; docs/decisions/0014-alt-across-homes.md). Each place with channel guards gets its
 * guards offered tentatively: this station's own through an OfferGroup here, each home's in one
 * `alt-offer` message, where the home makes an OfferGroup. Skip, timeouts and the abort signal
 * claim the lock here. Whoever holds the lock commits; then every other place withdraws its
 * offers (`cancel`), and nothing was consumed there.
 *
 * Invariants:
 * - the alt settles once, with the verdict of the one claim that committed;
 * - after it settles, every place has been told (or is the one that committed), timers are
 *   disarmed and the abort listener removed.
 */
import { CodecError, encodeBatch } from '../codec/codec.js';
import type { AltOutcome, Guard } from '../core/alt.js';
import { End } from '../core/ends.js';
import { abortError } from '../core/errors.js';
import { currentRuntime } from '../core/runtime.js';
import { Arbiter, type ArbiterKey, type Claim, type Verdict } from './arbiter.js';
import { FrameTooLargeError } from './errors.js';
import { OfferGroup, type ArbiterHandle, type OfferSpec } from './offer-group.js';
import type { Answer, GuardWire, Request, WireValue } from './protocol.js';
import { ProxyReader } from './proxy-reader.js';
import { ProxyWriter } from './proxy-writer.js';

/** What an alt's offers to one home produce: its messages about the offer, or the link's loss. */
export interface OfferListener {
  message(m: Extract<Answer, { kind: 'alt-claim' | 'alt-idle' | 'alt-miss' | 'alt-done' | 'failed' }>): void;
  lost(cause: Error): void;
}

/** The client side of one link, as a spread alt uses it. */
export interface SpreadHost {
  /** This station's id (names arbiters). */
  readonly self: string;
  readonly maxDataBytes: number;
  /** Sends the offer made by `make(op)`; `listener` hears about it until `withdraw(op, …)`. */
  offer(make: (op: number) => Request, listener: OfferListener): number;
  /** Stops listening to offer `op`; tells the home to drop it unless `tell` is false. */
  withdraw(op: number, tell: boolean): void;
  send(message: Request): void;
  rebuild(wire: WireValue): unknown;
}

let nextSeq = 1;

/** The guards of one place other than this station. */
interface Remote {
  readonly host: SpreadHost;
  readonly wire: GuardWire[];
  readonly readers: Map<number, ProxyReader<unknown>>;
  op: number;
  /** The claim of this place holding the arbiter's lock, if one does. */
  holder: Claim | null;
}

/** Runs an alt spread over several places; `hostOf` gives the link of a proxy end's place. */
export function runSpread(guards: readonly Guard[], order: readonly number[], signal: AbortSignal | undefined, hostOf: (end: ProxyReader<unknown> | ProxyWriter<unknown>) => SpreadHost): Promise<AltOutcome> {
  const positions = new Array<number>(guards.length).fill(0);
  order.forEach((index, position) => (positions[index] = position));
  const local: OfferSpec[] = [];
  const remotes = new Map<SpreadHost, Remote>();
  const outputs: ProxyWriter<unknown>[] = [];
  for (const index of order) {
    const g = guards[index] as Guard;
    if (g.kind !== 'input' && g.kind !== 'output') continue;
    const end: unknown = g.end;
    if (end instanceof End) {
      local.push({ index, position: positions[index] as number, end, value: g.kind === 'output' ? g.value : undefined });
      continue;
    }
    if (!(end instanceof ProxyReader) && !(end instanceof ProxyWriter)) return Promise.reject(new TypeError(`alt: guard ${index} is not an end of a cspflow channel`));
    const host = hostOf(end);
    let remote = remotes.get(host);
    if (remote === undefined) {
      remote = { host, wire: guards.map((): GuardWire => ({ kind: 'off' })), readers: new Map(), op: 0, holder: null };
      remotes.set(host, remote);
    }
    if (end instanceof ProxyReader) {
      remote.wire[index] = { kind: 'input', end: end.id };
      remote.readers.set(index, end);
    } else {
      let data: Uint8Array;
      try {
        // Copied, never moved: the alt may commit another guard (as for a whole alt at one home).
        data = encodeBatch(end.channel.codec, [g.kind === 'output' ? g.value : undefined], 0);
      } catch (cause) {
        return Promise.reject(new CodecError(end.channel.name, end.channel.codec.name, 'encode', cause));
      }
      if (data.length > host.maxDataBytes) return Promise.reject(new FrameTooLargeError('a value offered by an output guard', data.length, host.maxDataBytes, end.channel.name));
      outputs.push(end);
      remote.wire[index] = { kind: 'output', end: end.id, data };
    }
  }
  // The offers give the writers' credit back (their homes free the space they held), as a whole
  // alt at a home does, so an offer can use that space like any other write.
  for (const end of outputs) end.credit = 0;
  const first = remotes.keys().next().value as SpreadHost;
  const key: ArbiterKey = { station: first.self, seq: nextSeq++ };
  return new Promise<AltOutcome>((resolve, reject) => {
    const disarm: (() => void)[] = [];
    let group: OfferGroup | null = null;
    const finish = (verdict: Verdict, by: Claim): void => {
      for (const undo of disarm) undo();
      group?.close();
      for (const r of remotes.values()) r.host.withdraw(r.op, r.holder !== by);
      if ('error' in verdict) reject(verdict.error);
      else resolve({ index: verdict.index, value: verdict.value });
    };
    const here = (position: number, verdict: () => Verdict): void => {
      const c: Claim = { position, grant: () => arbiter.commit(c, verdict()), deny: () => {} };
      arbiter.claim(c);
    };
    const scheduler = currentRuntime().scheduler;
    const armTimers = (): void => {
      for (const index of order) {
        const g = guards[index] as Guard;
        if (g.kind === 'timeout') disarm.push(scheduler.setTimer(g.ms, () => here(positions[index] as number, () => ({ index, value: undefined }))));
      }
    };
    const arbiter = new Arbiter(key, remotes.size + (local.length > 0 ? 1 : 0), finish, armTimers);
    for (const index of order) if ((guards[index] as Guard).kind === 'skip') here(positions[index] as number, () => ({ index, value: undefined }));
    if (signal !== undefined) {
      const onAbort = (): void => here(-1, () => ({ error: abortError(signal) }));
      signal.addEventListener('abort', onAbort, { once: true });
      disarm.push(() => signal.removeEventListener('abort', onAbort));
    }
    for (const r of remotes.values()) offerTo(r, key, positions, arbiter);
    if (local.length > 0 && !arbiter.done) {
      group = new OfferGroup(new LocalHandle(arbiter, positions), local);
      group.start();
    }
  });
}

/** Sends `r` its offer and turns what its home says into claims on `arbiter`. */
function offerTo(r: Remote, key: ArbiterKey, positions: readonly number[], arbiter: Arbiter): void {
  const claims = new Map<number, Claim>();
  let reported = false;
  const report = (): void => {
    if (reported) return;
    reported = true;
    arbiter.report();
  };
  /** The place failed before holding the lock: the alt fails with `error` once the lock is free. */
  const failLater = (error: unknown): void => {
    const c: Claim = { position: -1, grant: () => arbiter.commit(c, { error }), deny: () => {} };
    arbiter.claim(c);
    report();
  };
  r.op = r.host.offer((op) => ({ kind: 'alt-offer', op, station: key.station, seq: key.seq, guards: r.wire, positions }), {
    message: (m) => {
      switch (m.kind) {
        case 'alt-claim': {
          const c: Claim = {
            position: positions[m.index] ?? 0,
            grant: () => {
              r.holder = c;
              r.host.send({ kind: 'alt-grant', op: r.op, claim: m.claim, granted: true });
            },
            deny: () => {
              claims.delete(m.claim);
              r.host.send({ kind: 'alt-grant', op: r.op, claim: m.claim, granted: false });
            },
          };
          claims.set(m.claim, c);
          arbiter.claim(c);
          return report();
        }
        case 'alt-idle':
          return report();
        case 'alt-miss': {
          const c = claims.get(m.claim);
          claims.delete(m.claim);
          if (c !== undefined && r.holder === c) r.holder = null;
          if (c !== undefined) arbiter.miss(c);
          return;
        }
        case 'alt-done': {
          const holder = r.holder;
          if (holder === null) return;
          const reader = r.readers.get(m.index);
          let verdict: Verdict;
          try {
            verdict = { index: m.index, value: reader === undefined || m.data === null ? undefined : reader.decode(m.data)[0] };
          } catch (error) {
            verdict = { error };
          }
          return arbiter.commit(holder, verdict);
        }
        case 'failed': {
          const error = r.host.rebuild(m.error);
          if (r.holder !== null) return arbiter.commit(r.holder, { error });
          return failLater(error);
        }
      }
    },
    lost: (cause) => {
      if (r.holder !== null) arbiter.abandon(cause, r.holder);
      else failLater(cause);
    },
  });
}

/** The arbiter as this station's own offers reach it: directly. */
class LocalHandle implements ArbiterHandle {
  private reported = false;
  private next = 1;
  private closed = false;
  private readonly waiting = new Map<number, (granted: boolean) => void>();

  constructor(
    private readonly arbiter: Arbiter,
    private readonly positions: readonly number[],
  ) {}

  get key(): ArbiterKey {
    return this.arbiter.key;
  }

  private readonly held = new Map<number, Claim>();

  claim(index: number, answer: (granted: boolean) => void): number {
    const ticket = this.next++;
    if (this.closed) {
      answer(false);
      return ticket;
    }
    this.waiting.set(ticket, answer);
    const c: Claim = {
      position: this.positions[index] ?? 0,
      grant: () => {
        const waiting = this.waiting.get(ticket);
        this.waiting.delete(ticket);
        if (waiting === undefined) return this.arbiter.miss(c);
        this.held.set(ticket, c);
        waiting(true);
      },
      deny: () => {
        const waiting = this.waiting.get(ticket);
        this.waiting.delete(ticket);
        waiting?.(false);
      },
    };
    this.arbiter.claim(c);
    this.idle();
    return ticket;
  }

  miss(ticket: number): void {
    const c = this.held.get(ticket);
    this.held.delete(ticket);
    if (c !== undefined) this.arbiter.miss(c);
  }

  commit(ticket: number, index: number, value: unknown): void {
    const c = this.held.get(ticket);
    if (c !== undefined) this.arbiter.commit(c, { index, value });
  }

  fail(ticket: number, error: Error): void {
    const c = this.held.get(ticket);
    if (c !== undefined) this.arbiter.commit(c, { error });
  }

  idle(): void {
    if (this.reported) return;
    this.reported = true;
    this.arbiter.report();
  }

  close(): void {
    this.closed = true;
    for (const answer of this.waiting.values()) answer(false);
    this.waiting.clear();
  }
}
