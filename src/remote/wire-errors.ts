/**
 * Errors across a link: an Error becomes a WireValue (name, message, stack, cause, reason, and
 * its own fields encoded by the station's value codec) and is rebuilt on the other side. Errors
 * whose class the table knows come back as that class, from their fields — never by parsing a
 * message — so `instanceof` and poison spreading work unchanged. The table is open: a transport
 * registers its own errors (the thread transport: WorkerCrashedError).
 *
 * Invariants:
 * - every WireValue made here fits a link's smallest message: text is cut to MAX_TEXT, fields
 *   that do not encode or are too big are left out, and causes nest at most MAX_DEPTH deep;
 * - rebuilding never throws: facts of the wrong type fall back to what an Error can carry.
 */
import { CodecError, type Codec } from '../codec/codec.js';
import { builtinErrorClass, DeadlockError, PendingLimitError, PoisonError, ProcessError, RetiredError, type BlockedProcess, type RetiredWhy, type Site } from '../core/errors.js';
import { FrameTooLargeError, ModuleLoadError, ProcessClashError, ProtocolError, SpawnArgumentError } from './errors.js';
import type { WireValue } from './protocol.js';

/** The property of a PoisonError naming the token of the poison that made it (see Client.remember). */
export const POISON_TOKEN = 'cspflowPoisonToken';

/** What a rebuilder gets: the error's message, its own fields (as decoded), its cause and reason. */
export interface ErrorFacts {
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The rebuilt cause, or undefined when the error had none. */
  readonly cause: unknown;
  /** A PoisonError's reason, rebuilt (the very object when it was poisoned from this side). */
  readonly reason: unknown;
}

/** Makes an error of one class from its facts. */
export type ErrorRebuilder = (facts: ErrorFacts) => Error;

const STANDARD = new Set(['name', 'message', 'stack', 'cause', 'reason']);
const MAX_TEXT = 8192;
const MAX_FIELDS_BYTES = 16384;
const MAX_DEPTH = 8;


function text(x: string): string {
  return x.length <= MAX_TEXT ? x : `${x.slice(0, MAX_TEXT)}… (${x.length - MAX_TEXT} more characters)`;
}

const str = (f: Readonly<Record<string, unknown>>, key: string, otherwise = '?'): string => (typeof f[key] === 'string' ? (f[key] as string) : otherwise);
const num = (f: Readonly<Record<string, unknown>>, key: string, otherwise = 0): number => (typeof f[key] === 'number' ? (f[key] as number) : otherwise);

function isSite(x: unknown): x is Site {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<Record<keyof Site, unknown>>;
  return typeof s.channel === 'string' && (s.process === undefined || typeof s.process === 'string');
}

function isBlocked(x: unknown): x is BlockedProcess[] {
  return (
    Array.isArray(x) &&
    x.every((b: unknown) => {
      const p = b as Partial<Record<keyof BlockedProcess, unknown>> | null;
      return typeof p === 'object' && p !== null && typeof p.process === 'string' && typeof p.operation === 'string' && Array.isArray(p.channels);
    })
  );
}

const WHYS: ReadonlySet<string> = new Set<RetiredWhy>(['writers-retired', 'readers-retired', 'end-retired']);

/** How errors (and other values) cross: by class name, each to its rebuilder. */
export class ErrorTable {
  private readonly rebuilders = new Map<string, ErrorRebuilder>();

  /** `values` encodes error fields and non-error values (structured clone by default). */
  constructor(private readonly values: Codec<unknown>) {
    this.register('PoisonError', (f) => new PoisonError(f.reason, isSite(f.fields['origin']) ? f.fields['origin'] : { channel: '?' }));
    this.register('RetiredError', (f) => {
      const why = str(f.fields, 'why');
      const error = new RetiredError(WHYS.has(why) ? (why as RetiredWhy) : 'end-retired', str(f.fields, 'channel'));
      if (typeof f.fields['guardIndex'] === 'number') error.guardIndex = f.fields['guardIndex'];
      return error;
    });
    this.register('DeadlockError', (f) => new DeadlockError(isBlocked(f.fields['blocked']) ? f.fields['blocked'] : []));
    this.register('PendingLimitError', (f) => new PendingLimitError(str(f.fields, 'channel'), f.fields['side'] === 'writes' ? 'writes' : 'reads', num(f.fields, 'limit')));
    this.register('ProcessError', (f) => new ProcessError(str(f.fields, 'process'), f.cause));
    this.register('CodecError', (f) => new CodecError(str(f.fields, 'channel'), str(f.fields, 'codec'), f.fields['direction'] === 'decode' ? 'decode' : 'encode', f.cause));
    this.register('ProtocolError', (f) => new ProtocolError(str(f.fields, 'peer'), str(f.fields, 'detail'), f.cause));
    this.register('ModuleLoadError', (f) => new ModuleLoadError(str(f.fields, 'module'), typeof f.fields['line'] === 'number' ? f.fields['line'] : undefined, '', f.cause));
    this.register('SpawnArgumentError', (f) => new SpawnArgumentError(str(f.fields, 'process'), num(f.fields, 'argument'), '', '', f.cause));
    this.register('ProcessClashError', (f) => {
      const sites = Array.isArray(f.fields['sites']) ? (f.fields['sites'] as unknown[]) : [];
      return new ProcessClashError(str(f.fields, 'process'), String(sites[0] ?? '?'), String(sites[1] ?? '?'), '');
    });
    this.register('FrameTooLargeError', (f) => new FrameTooLargeError('a value', num(f.fields, 'bytes'), num(f.fields, 'limit'), typeof f.fields['channel'] === 'string' ? f.fields['channel'] : undefined));
  }

  /** Errors named `name` come back through `rebuild` (a transport registers its own errors here). */
  register(name: string, rebuild: ErrorRebuilder): void {
    this.rebuilders.set(name, rebuild);
  }

  /** `value` (thrown, or a poison reason) as it crosses. */
  toWire(value: unknown, depth = 0): WireValue {
    if (!(value instanceof Error) || depth > MAX_DEPTH) return this.plain(value);
    const own: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(value)) {
      if (STANDARD.has(key)) continue;
      const field: unknown = (value as unknown as Record<string, unknown>)[key];
      if (this.encodes(field)) own[key] = field;
    }
    let fields = this.values.encode(own);
    if (fields.length > MAX_FIELDS_BYTES) fields = this.values.encode({});
    const reason = value instanceof PoisonError ? this.toWire(value.reason, depth + 1) : null;
    return {
      kind: 'error',
      name: text(value.name),
      message: text(value.message),
      stack: value.stack === undefined ? null : text(value.stack),
      cause: 'cause' in value ? this.toWire(value.cause, depth + 1) : null,
      reason,
      fields,
    };
  }

  /**
   * Rebuilds a value sent by toWire. `known(token)` gives back a poison reason this side sent, so
   * a PoisonError returning to the side that poisoned carries the very reason object.
   */
  fromWire(wire: WireValue, known: (token: number) => unknown = () => undefined): unknown {
    if (wire.kind === 'text') return wire.text;
    if (wire.kind === 'value') return this.decodeOr(wire.data, '[a value that could not be decoded]');
    const decoded = this.decodeOr(wire.fields, {});
    const fields: Readonly<Record<string, unknown>> = typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : {};
    const cause = wire.cause === null ? undefined : this.fromWire(wire.cause, known);
    const token = fields[POISON_TOKEN];
    const mine = typeof token === 'number' ? known(token) : undefined;
    const reason = mine !== undefined ? mine : wire.reason === null ? undefined : this.fromWire(wire.reason, known);
    const facts: ErrorFacts = { message: wire.message, fields, cause, reason };
    const rebuild = this.rebuilders.get(wire.name);
    let error: Error;
    try {
      error = rebuild !== undefined ? rebuild(facts) : this.generic(wire.name, facts, wire.cause !== null);
    } catch {
      error = this.generic(wire.name, facts, wire.cause !== null);
    }
    Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true, enumerable: false });
    if (wire.stack !== null) Object.defineProperty(error, 'stack', { value: wire.stack, writable: true, configurable: true, enumerable: false });
    for (const [key, value] of Object.entries(fields)) {
      if (key === POISON_TOKEN || (Object.hasOwn(error, key) && (error as unknown as Record<string, unknown>)[key] !== undefined)) continue;
      const hidden = key === 'process' || key === 'worker';
      Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: !hidden });
    }
    return error;
  }

  private generic(name: string, facts: ErrorFacts, hasCause: boolean): Error {
    const error = new (builtinErrorClass(name))(facts.message, hasCause ? { cause: facts.cause } : undefined);
    if (name !== error.name) Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true, enumerable: false });
    return error;
  }

  private plain(value: unknown): WireValue {
    if (this.encodes(value)) {
      const data = this.values.encode(value);
      if (data.length <= MAX_FIELDS_BYTES) return { kind: 'value', data };
    }
    return { kind: 'text', text: text(String(value)) };
  }

  private encodes(value: unknown): boolean {
    try {
      this.values.encode(value);
      return true;
    } catch {
      return false;
    }
  }

  private decodeOr(bytes: Uint8Array, otherwise: unknown): unknown {
    try {
      return this.values.decode(bytes);
    } catch {
      return otherwise;
    }
  }
}

/** Names the peer on an error that came from it (once), under `key` (`worker` on threads). */
export function markError(error: unknown, key: string, value: unknown): void {
  if (error instanceof Error && !Object.hasOwn(error, key) && Object.isExtensible(error)) {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  }
}
