/**
 * Errors across threads: an Error becomes a plain, cloneable record and is rebuilt on the other
 * side with its name, message, stack, cause, custom fields, and the `process` / `worker` that
 * raised it. PoisonError, RetiredError, DeadlockError, CodecError and WorkerCrashedError come
 * back as their own classes, so `instanceof` and poison spreading work unchanged.
 */
import { CodecError } from '../../codec/codec.js';
import { DeadlockError, PendingLimitError, PoisonError, ProcessError, RetiredError, type BlockedProcess, type RetiredWhy, type Site } from '../../core/errors.js';
import { WorkerCrashedError } from './errors.js';

export interface WireError {
  readonly kind: 'error';
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly cause?: WireValue;
  /** Own fields other than the standard ones (kept when cloneable). */
  readonly fields: Record<string, unknown>;
}

/** Any thrown or poison-reason value, as sent. */
export type WireValue = WireError | { readonly kind: 'value'; readonly value: unknown };

const STANDARD = new Set(['name', 'message', 'stack', 'cause']);

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

export function toWire(value: unknown, depth = 0): WireValue {
  if (!(value instanceof Error) || depth > 8) {
    return { kind: 'value', value: cloneable(value) ? value : String(value) };
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(value)) {
    if (STANDARD.has(key)) continue;
    const field: unknown = (value as unknown as Record<string, unknown>)[key];
    if (key === 'reason') fields[key] = toWire(field, depth + 1);
    else if (cloneable(field)) fields[key] = field;
  }
  const wire: WireError = { kind: 'error', name: value.name, message: value.message, stack: value.stack, fields };
  return 'cause' in value ? { ...wire, cause: toWire(value.cause, depth + 1) } : wire;
}

/** The property of a PoisonError naming the token of the poison that made it (see Client.remember). */
export const POISON_TOKEN = 'cspflowPoisonToken';

const BUILTIN: Record<string, new (message: string, options?: ErrorOptions) => Error> = {
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds a value sent by toWire. `known(token)` gives back a poison reason this thread sent,
 * so a PoisonError returning to the thread that poisoned carries the very reason object.
 */
export function fromWire(wire: WireValue, known: (token: number) => unknown = () => undefined): unknown {
  if (wire.kind === 'value') return wire.value;
  const f = wire.fields;
  const cause = wire.cause === undefined ? undefined : fromWire(wire.cause, known);
  let error: Error;
  switch (wire.name) {
    case 'PoisonError': {
      const token = f[POISON_TOKEN];
      const mine = typeof token === 'number' ? known(token) : undefined;
      error = new PoisonError(mine !== undefined ? mine : fromWire(f['reason'] as WireValue, known), f['origin'] as Site);
      break;
    }
    case 'PendingLimitError': {
      const side = /pending (reads|writes)/.exec(wire.message)?.[1] === 'writes' ? 'writes' : 'reads';
      error = new PendingLimitError(f['channel'] as string, side, f['limit'] as number);
      break;
    }
    case 'ProcessError':
      error = new ProcessError(f['process'] as string, cause);
      break;
    case 'RetiredError': {
      const retired = new RetiredError(f['why'] as RetiredWhy, f['channel'] as string);
      if (typeof f['guardIndex'] === 'number') retired.guardIndex = f['guardIndex'];
      error = retired;
      break;
    }
    case 'DeadlockError':
      error = new DeadlockError(f['blocked'] as BlockedProcess[]);
      break;
    case 'CodecError':
      error = new CodecError(f['channel'] as string, f['codec'] as string, f['direction'] as 'encode' | 'decode', cause);
      break;
    case 'WorkerCrashedError':
      error = new WorkerCrashedError(f['worker'] as number, cause ?? 0);
      break;
    default:
      error = new (BUILTIN[wire.name] ?? Error)(wire.message, cause === undefined ? undefined : { cause });
      if (wire.name !== error.name) Object.defineProperty(error, 'name', { value: wire.name, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true, enumerable: false });
  if (wire.stack !== undefined) Object.defineProperty(error, 'stack', { value: wire.stack, writable: true, configurable: true, enumerable: false });
  for (const [key, value] of Object.entries(f)) {
    if (key === 'reason' || key === POISON_TOKEN || (Object.hasOwn(error, key) && (error as unknown as Record<string, unknown>)[key] !== undefined)) continue;
    const hidden = key === 'process' || key === 'worker';
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: !hidden });
  }
  return error;
}

/** Names the worker on an error that came out of it (once). */
export function markWorker(error: unknown, worker: number): void {
  if (error instanceof Error && !Object.hasOwn(error, 'worker') && Object.isExtensible(error)) {
    Object.defineProperty(error, 'worker', { value: worker, writable: true, configurable: true, enumerable: false });
  }
}
