/**
 * A task's thrown value as it travels back to whoever submitted the task: a plain record (name,
 * message, stack, cause, own fields) that any codec carries, rebuilt on the other side as an
 * Error of the same name with `task` and `worker` added. Where no codec ran (the local runtime)
 * the record still holds the very thrown value, and that is what comes back.
 *
 * Invariant: a record never holds a function or symbol (fields that cannot travel are left out).
 */
import { rejectUncarriable } from '../codec/codec.js';
import { builtinErrorClass } from '../core/errors.js';

export type ErrorRecord =
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly cause?: ErrorRecord;
      readonly fields: Record<string, unknown>;
    }
  | { readonly kind: 'value'; readonly value: unknown };

/** Where a task failed, added to the rebuilt error (hidden fields, as the thread runtime does). */
export interface FailedAt {
  readonly task: string;
  readonly worker: number;
}

const STANDARD = new Set(['name', 'message', 'stack', 'cause']);
/** The property holding the thrown value itself; not enumerable, so no codec ever carries it. */
const ORIGINAL = 'original';
const MAX_DEPTH = 8;

function carriable(value: unknown): boolean {
  try {
    rejectUncarriable(value);
    return true;
  } catch {
    return false;
  }
}

/** The record of `thrown`, as sent by a farm worker. */
export function toRecord(thrown: unknown, at: FailedAt, depth = 0): ErrorRecord {
  let record: ErrorRecord;
  if (!(thrown instanceof Error) || depth > MAX_DEPTH) {
    record = { kind: 'value', value: carriable(thrown) ? thrown : String(thrown) };
  } else {
    const fields: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(thrown)) {
      if (STANDARD.has(key)) continue;
      const value: unknown = (thrown as unknown as Record<string, unknown>)[key];
      if (carriable(value)) fields[key] = value;
    }
    if (depth === 0) {
      fields['task'] ??= at.task;
      fields['worker'] ??= at.worker;
    }
    const base = { kind: 'error' as const, name: thrown.name, message: thrown.message, fields };
    const withStack = thrown.stack === undefined ? base : { ...base, stack: thrown.stack };
    record = 'cause' in thrown ? { ...withStack, cause: toRecord(thrown.cause, at, depth + 1) } : withStack;
  }
  if (depth === 0) Object.defineProperty(record, ORIGINAL, { value: thrown, enumerable: false });
  return record;
}


const HIDDEN = new Set(['task', 'worker', 'process']);

/** Marks `error` with where it failed (hidden fields), unless it already says. */
function mark(error: unknown, fields: Record<string, unknown>): void {
  if (!(error instanceof Error) || !Object.isExtensible(error)) return;
  for (const key of ['task', 'worker']) {
    if (!Object.hasOwn(error, key) && fields[key] !== undefined) Object.defineProperty(error, key, { value: fields[key], writable: true, configurable: true, enumerable: false });
  }
}

/** The thrown value a record stands for: the value itself when it never crossed a codec. */
export function fromRecord(record: ErrorRecord): unknown {
  if (Object.hasOwn(record, ORIGINAL)) {
    const original: unknown = (record as unknown as Record<string, unknown>)[ORIGINAL];
    if (record.kind === 'error') mark(original, record.fields);
    return original;
  }
  if (record.kind === 'value') return record.value;
  const cause = record.cause === undefined ? undefined : fromRecord(record.cause);
  const error = new (builtinErrorClass(record.name))(record.message, record.cause === undefined ? undefined : { cause });
  if (error.name !== record.name) Object.defineProperty(error, 'name', { value: record.name, writable: true, configurable: true, enumerable: false });
  if (record.stack !== undefined) Object.defineProperty(error, 'stack', { value: record.stack, writable: true, configurable: true, enumerable: false });
  for (const [key, value] of Object.entries(record.fields)) {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: !HIDDEN.has(key) });
  }
  return error;
}
