/**
 * Argument checks for the public calls of cspflow/futures, in the shape every cspflow argument
 * error has: the call, the parameter, the value, what is allowed; a value of the wrong kind is a
 * TypeError, one of the right kind out of range a RangeError; both carry
 * `code: 'ERR_CSPFLOW_INVALID_ARGUMENT'` and `parameter`. Unknown option keys are refused.
 */
import { rejectUncarriable } from '../codec/codec.js';

const INVALID_ARGUMENT = 'ERR_CSPFLOW_INVALID_ARGUMENT';

/** A short, safe rendering of a bad value. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

export function invalid(kind: 'type' | 'range', call: string, parameter: string, value: unknown, allowed: string, fix?: string): Error {
  const message = `${call}: ${parameter} must be ${allowed}, got ${show(value)}.${fix === undefined ? '' : ` ${fix}`}`;
  const error = kind === 'type' ? new TypeError(message) : new RangeError(message);
  return Object.assign(error, { code: INVALID_ARGUMENT, parameter });
}

/** Throws unless `options` is absent or an object whose keys are all in `known`. */
export function checkOptions(call: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('type', call, 'options', options, `an object of options (${known.join(', ')}) or left out`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const error = new TypeError(`${call}: unknown option "${key}" in options; the options are ${known.map((k) => `"${k}"`).join(', ')}.`);
    throw Object.assign(error, { code: INVALID_ARGUMENT, parameter: `options.${key}` });
  }
}

/** Throws unless `value` is absent or an integer >= `min`. */
export function checkOptionalInteger(call: string, parameter: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number') throw invalid('type', call, parameter, value, `an integer >= ${min} (or left out)`);
  if (!Number.isSafeInteger(value) || value < min) throw invalid('range', call, parameter, value, `an integer >= ${min} (or left out)`);
}

/** Throws unless `value` is absent or an AbortSignal. */
export function checkOptionalSignal(call: string, parameter: string, value: unknown): void {
  if (value === undefined || value instanceof AbortSignal) return;
  throw invalid('type', call, parameter, value, 'an AbortSignal (or left out)', 'Pass controller.signal of an AbortController, or AbortSignal.timeout(ms).');
}

/** Throws unless `value` is absent or one of `allowed`. */
export function checkOptionalChoice(call: string, parameter: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  throw invalid(typeof value === 'string' ? 'range' : 'type', call, parameter, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')} (or left out)`);
}

/** Throws unless `value` can cross to a worker (no function or symbol inside). */
export function checkCarriable(call: string, parameter: string, value: unknown): void {
  try {
    rejectUncarriable(value);
  } catch (cause) {
    const error = invalid('type', call, parameter, value, 'a value that can be sent to a worker (no function or symbol inside)');
    throw Object.assign(error, { cause });
  }
}
