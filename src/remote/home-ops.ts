/**
 * The operations a home performs for a proxy — read, write, alt — on the real core end it holds
 * for that proxy, answering when they settle. The core channel does the work (rendezvous, buffer,
 * FIFO, poison, retire, abort, pending caps); these functions translate messages to core calls
 * and results back, keeping credit (credit.ts), read-ahead (read-ahead.ts) and per-end order
 * (end-order.ts).
 */
import { alt, input, output, priAlt, skip, timeout, type Guard } from '../core/alt.js';
import type { ReaderEnd, WriterEnd } from '../core/ends.js';
import { PoisonError } from '../core/errors.js';
import { decodeValues, encodeValues, isFault } from './codec-faults.js';
import { ProtocolError } from './errors.js';
import { chain } from './end-order.js';
import type { HomeChannel } from './home-channels.js';
import type { HomeEnd } from './home-end.js';
import type { Alt, Answer, Read, WireValue, Write } from './protocol.js';

/** What the operations need of the home serving one link. */
export interface OpHost {
  /** The largest value batch one message carries on this link. */
  readonly maxDataBytes: number;
  tell(message: Answer): void;
  /** A real error found here (a codec fault, a peer breaking the protocol): the station is told. */
  fault(error: Error): void;
  /** `fault`, as a function of its own (passed to codec-faults.ts). */
  readonly report: (error: Error) => void;
  /** The peer on the other side of the link (for ProtocolErrors). */
  readonly peer: string;
  toWire(error: unknown): WireValue;
  /** The abort signal of operation `op` when it asked for one (a cancel aborts it). */
  signalFor(op: number, abortable: boolean): AbortSignal | undefined;
  /** Operation `op` has settled: forget its signal. */
  done(op: number): void;
  /**
   * The home end `id` (a `side` end) for an operation, or null after answering `op` with why there
   * is none: it could not be made, or the message named no such end (a ProtocolError).
   */
  endFor(id: number, op: number, side: 'reader' | 'writer'): HomeEnd | null;
  /** Reads have been served on `ch`: tell the proxies if it has reached end-of-stream. */
  checkDrained(ch: HomeChannel): void;
}

/** Answers `op` with `error` (aborted when the cancel won); `credit` as in a write's answer. */
function fail(host: OpHost, op: number, error: unknown, signal: AbortSignal | undefined, credit = 0): void {
  host.done(op);
  const aborted = signal?.aborted === true && !(error instanceof PoisonError);
  host.tell({ kind: 'failed', op, error: host.toWire(error), aborted, credit });
}

export function read(host: OpHost, m: Read): void {
  const he = host.endFor(m.end, m.op, 'reader');
  if (he === null) return;
  const reader = he.end as ReaderEnd<unknown>;
  const signal = host.signalFor(m.op, m.abortable);
  const options = signal === undefined ? undefined : { signal };
  const op = m.max === 0 ? reader.read(options).then((v) => [v]) : reader.readMany(m.max, options);
  op.then(
    (taken) => {
      // A read asking to read ahead: the values lent to it follow the one it took (read-ahead.ts).
      const lent = m.max === 0 && m.ahead > 0 ? he.ch.readAhead.lend(he, m.op, m.ahead) : [];
      const values = lent.length === 0 ? taken : [...taken, ...lent];
      host.checkDrained(he.ch);
      // Only the values taken may be moved: the lent ones stay in the buffer until reported.
      const parts = encodeValues(he.ch, values, host.maxDataBytes, host.report, taken.length);
      if (isFault(parts)) return fail(host, m.op, parts.poison, signal);
      host.done(m.op);
      parts.forEach((data, i) => host.tell({ kind: 'values', op: m.op, data, last: i === parts.length - 1 }));
    },
    (error: unknown) => fail(host, m.op, error, signal),
  );
}

export function write(host: OpHost, m: Write): void {
  const he = host.endFor(m.end, m.op, 'writer');
  if (he === null) return;
  const values = decodeValues(he.ch, m.data, host.report);
  if (isFault(values)) {
    if (m.op !== 0) fail(host, m.op, values.poison, undefined);
    return;
  }
  const credit = he.ch.credit;
  const writer = he.end as WriterEnd<unknown>;
  if (m.op === 0) {
    // Written on credit: the values go into the slots promised to this end, after its earlier
    // steps. (Values beyond the credit granted — only a faulty peer sends them — are plain writes.)
    const slots = credit.arrived(he, values.length);
    const rest = values.slice(slots);
    if (rest.length > 0) host.fault(new ProtocolError(host.peer, `${rest.length} value(s) were written on credit beyond the credit granted (they are written as plain writes)`));
    he.credited += values.length;
    const put = (): void => credit.put(he, values, slots);
    const landed = (): void => {
      he.credited -= values.length;
    };
    void chain(he, () => {
      put();
      return rest.length === 0 ? Promise.resolve() : writer.writeMany(rest);
    }).then(
      () => {
        landed();
        credit.topUp(he);
      },
      landed,
    );
    return;
  }
  // A write waiting for its answer. It takes this end's own unused promised slots first (the
  // answer takes that credit back); a single value with nothing pending goes straight to the
  // channel, whose queue keeps it in order and counts it against maxPending; the rest is chained
  // so this end's next steps never overtake it.
  const used = credit.convert(he, values.length);
  const signal = host.signalFor(m.op, m.abortable);
  const options = signal === undefined ? undefined : { signal };
  const run = (): Promise<void> => {
    credit.put(he, values, used);
    const rest = values.slice(used);
    if (rest.length === 0) return Promise.resolve();
    return rest.length === 1 ? writer.write(rest[0], options) : writer.writeMany(rest, options);
  };
  he.acked++;
  const op = he.tail === null && used === 0 && values.length === 1 ? run() : chain(he, run);
  op.then(
    () => {
      he.acked--;
      host.done(m.op);
      host.tell({ kind: 'written', op: m.op, credit: credit.grant(he) - used });
    },
    (error: unknown) => {
      he.acked--;
      fail(host, m.op, error, signal, -used);
    },
  );
}

export function runAlt(host: OpHost, m: Alt): void {
  const guards: Guard[] = [];
  const inputs: (HomeChannel | null)[] = [];
  for (const g of m.guards) {
    if (g.kind === 'input' || g.kind === 'output') {
      const he = host.endFor(g.end, m.op, g.kind === 'input' ? 'reader' : 'writer');
      if (he === null) return;
      if (g.kind === 'input') {
        guards.push(input(he.end as ReaderEnd<unknown>));
        inputs.push(he.ch);
      } else {
        const values = decodeValues(he.ch, g.data, host.report);
        if (isFault(values)) return fail(host, m.op, values.poison, undefined);
        // The proxy gave its credit back with the alt: the space it held is free for the offer.
        he.ch.credit.returned(he);
        guards.push(output(he.end as WriterEnd<unknown>, values[0]));
        inputs.push(null);
      }
    } else {
      guards.push(g.kind === 'timeout' ? timeout(g.ms) : g.kind === 'skip' ? skip() : skip({ when: false }));
      inputs.push(null);
    }
  }
  const signal = host.signalFor(m.op, m.abortable);
  const options = signal === undefined ? undefined : { signal };
  const op = m.priority ? priAlt(guards, options) : alt(guards, options);
  op.then(
    (outcome) => {
      const ch = inputs[outcome.index] ?? null;
      if (ch === null) {
        host.done(m.op);
        return host.tell({ kind: 'alt-done', op: m.op, index: outcome.index, data: null });
      }
      host.checkDrained(ch);
      const parts = encodeValues(ch, [outcome.value], host.maxDataBytes, host.report);
      if (isFault(parts)) return fail(host, m.op, parts.poison, signal);
      host.done(m.op);
      host.tell({ kind: 'alt-done', op: m.op, index: outcome.index, data: parts[0] as Uint8Array });
    },
    (error: unknown) => fail(host, m.op, error, signal),
  );
}
