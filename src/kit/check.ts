/**
 * Argument checks for the kit's public functions. A bad argument is refused when the network is
 * declared, before anything runs, with an error that names the function, the parameter, the value
 * and what is allowed: TypeError for the wrong kind of value, RangeError for one out of range.
 */

/** `value` must be a (safe) integer, >= `min` when given. */
export function checkInteger(where: string, param: string, value: unknown, min?: number): void {
  const allowed = min === undefined ? 'an integer' : `an integer >= ${min}`;
  if (typeof value !== 'number') throw new TypeError(`${where}: ${param} must be ${allowed}, got ${show(value)}`);
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min)) throw new RangeError(`${where}: ${param} must be ${allowed}, got ${value}`);
}

/** `value` must be a finite number (>= `min` when given). */
export function checkFinite(where: string, param: string, value: unknown, min?: number): void {
  const allowed = min === undefined ? 'a finite number' : `a finite number >= ${min}`;
  if (typeof value !== 'number') throw new TypeError(`${where}: ${param} must be ${allowed}, got ${show(value)}`);
  if (!Number.isFinite(value) || (min !== undefined && value < min)) throw new RangeError(`${where}: ${param} must be ${allowed}, got ${value}`);
}

/** `value` must be an array. */
export function checkArray(where: string, param: string, value: unknown): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: ${param} must be an array, got ${show(value)}`);
}

/** A bad value as a message shows it: strings quoted, functions, arrays and objects by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
