/**
 * Argument checks for the public entry points, in one place so that every message has one shape:
 * the call, the parameter, the value (shown briefly), what is allowed, and what to do.
 *
 * A value of the wrong kind is a TypeError; a value of the right kind outside its range is a
 * RangeError — as JavaScript's built-ins and Node's own API do. Both carry
 * `code: 'ERR_CSPFLOW_INVALID_ARGUMENT'` and `parameter`, so scripts can match on them.
 *
 * Invariants: every check returns normally or throws one of these errors, never anything else;
 * showing a value never throws and never calls user code other than own-property reads.
 */

/** The `code` of every argument error. */
export const INVALID_ARGUMENT = 'ERR_CSPFLOW_INVALID_ARGUMENT';

/** What an argument error carries besides its message. */
export interface ArgumentError extends Error {
  readonly code: typeof INVALID_ARGUMENT;
  /** The parameter as the caller wrote it: `options.buffer`, `guards[2]`, `argument 1`. */
  readonly parameter: string;
}

/**
 * The error for `parameter` of `call` holding `value` when `allowed` was expected.
 * `fix`, when given, is one sentence saying what to write instead.
 */
export function invalidArgument(kind: 'type' | 'range', call: string, parameter: string, value: unknown, allowed: string, fix?: string): ArgumentError {
  const message = `${call}: ${parameter} must be ${allowed}, got ${show(value)}.${fix === undefined ? '' : ` ${fix}`}`;
  const error = kind === 'type' ? new TypeError(message) : new RangeError(message);
  return Object.assign(error, { code: INVALID_ARGUMENT, parameter } as const);
}

/**
 * The own options of `options` (absent means none), or throws: not an object, or a key that is
 * not one of `known` (a typo must not pass silently).
 */
export function checkOptions(call: string, parameter: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument('type', call, parameter, options, `an object of options (${known.join(', ')}) or left out`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => close(k, key));
    const hint = near === undefined ? '' : ` Did you mean "${near}"?`;
    const error = new TypeError(`${call}: unknown option "${key}" in ${parameter}; the options are ${known.map((k) => `"${k}"`).join(', ')}.${hint}`);
    throw Object.assign(error, { code: INVALID_ARGUMENT, parameter: `${parameter}.${key}` } as const);
  }
}

/** Throws unless `value` is an integer >= `min` (TypeError if not a number, RangeError otherwise). */
export function checkInteger(call: string, parameter: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number') throw invalidArgument('type', call, parameter, value, `an integer >= ${min}`);
  if (!Number.isInteger(value) || value < min) throw invalidArgument('range', call, parameter, value, `an integer >= ${min}`);
}

/** Throws unless `value` is absent or a boolean. */
export function checkOptionalBoolean(call: string, parameter: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw invalidArgument('type', call, parameter, value, 'true or false (or left out)');
}

/** Throws unless `value` is absent or an AbortSignal. */
export function checkOptionalSignal(call: string, parameter: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof AbortSignal === 'function' && value instanceof AbortSignal) return;
  throw invalidArgument('type', call, parameter, value, 'an AbortSignal (or left out)', 'Pass controller.signal of an AbortController, or AbortSignal.timeout(ms).');
}

/** The options every blocking channel operation takes. */
export function checkOpOptions(call: string, options: unknown): void {
  checkOptions(call, 'options', options, ['signal']);
  if (options !== undefined) checkOptionalSignal(call, 'options.signal', (options as { signal?: unknown }).signal);
}

/** What is wrong with the options of a blocking operation, or null (for calls that report through a promise). */
export function opOptionsProblem(call: string, options: unknown): Error | null {
  try {
    checkOpOptions(call, options);
    return null;
  } catch (error) {
    return error as Error;
  }
}

/** Two option names at most two edits apart (`bufer` and `buffer`, `maxpending` and `maxPending`). */
function close(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return (previous[y.length] as number) <= 2;
}

const inspectKey = Symbol.for('nodejs.util.inspect.custom');

/** A short description of any value, for messages: `"x"`, `42`, `null`, `{ bufer: 4 }`, `a Promise`. */
export function show(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function': {
      const processName = (value as { processName?: unknown }).processName;
      if (typeof processName === 'string') return `the process factory "${processName}"`;
      return value.name === '' ? 'an anonymous function' : `the function ${value.name}`;
    }
    default:
      return showObject(value as object | null, depth);
  }
}

function showObject(value: object | null, depth: number): string {
  if (value === null) return 'null';
  const own = (value as Record<symbol, unknown>)[inspectKey];
  if (typeof own === 'function' && Object.getPrototypeOf(value) !== Object.prototype) return String((own as () => unknown).call(value));
  if (Array.isArray(value)) {
    if (depth > 0) return `[…${value.length}]`;
    const items = value.slice(0, 3).map((v: unknown) => show(v, depth + 1));
    return `[${items.join(', ')}${value.length > 3 ? ', …' : ''}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    if (depth > 0) return '{…}';
    const keys = Object.keys(value);
    const shown = keys.slice(0, 3).map((k) => `${k}: ${show((value as Record<string, unknown>)[k], depth + 1)}`);
    return keys.length === 0 ? '{}' : `{ ${shown.join(', ')}${keys.length > 3 ? ', …' : ''} }`;
  }
  const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : 'an object';
}
