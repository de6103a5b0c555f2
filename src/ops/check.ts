/**
 * Argument checks shared by the operators and bridges: each names the function, the parameter,
 * the value it got and what is allowed, so a wrong call fails at once instead of hanging later.
 */
import type { Reader, Writer } from '../core/ends.js';

export function isReader(value: unknown): value is Reader<unknown> {
  const r = value as Partial<Reader<unknown>> | null;
  return typeof r === 'object' && r !== null && typeof r.read === 'function' && typeof r.readMany === 'function' && typeof r.retire === 'function';
}

export function isWriter(value: unknown): value is Writer<unknown> {
  const w = value as Partial<Writer<unknown>> | null;
  return typeof w === 'object' && w !== null && typeof w.write === 'function' && typeof w.writeMany === 'function' && typeof w.retire === 'function';
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

export function expectReader(where: string, param: string, value: unknown): void {
  if (!isReader(value)) throw new TypeError(`${where}: ${param} must be a Reader (an end made by channel.reader()), got ${show(value)}`);
}

export function expectWriter(where: string, param: string, value: unknown): void {
  if (!isWriter(value)) throw new TypeError(`${where}: ${param} must be a Writer (an end made by channel.writer()), got ${show(value)}`);
}

export function expectReaders(where: string, param: string, value: unknown, min = 1): void {
  if (!Array.isArray(value) || value.length < min) throw new TypeError(`${where}: ${param} must be an array of at least ${min} Reader(s), got ${show(value)}`);
  value.forEach((r, i) => expectReader(where, `${param}[${i}]`, r));
}

export function expectWriters(where: string, param: string, value: unknown, min = 1): void {
  if (!Array.isArray(value) || value.length < min) throw new TypeError(`${where}: ${param} must be an array of at least ${min} Writer(s), got ${show(value)}`);
  value.forEach((w, i) => expectWriter(where, `${param}[${i}]`, w));
}

export function expectFunction(where: string, param: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`${where}: ${param} must be a function, got ${show(value)}`);
}

export function expectInteger(where: string, param: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${where}: ${param} must be an integer >= ${min}, got ${show(value)}`);
  }
}

export function expectMs(where: string, param: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${where}: ${param} must be a finite number of milliseconds >= ${min}, got ${show(value)}`);
  }
}

export function expectOptions(where: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError(`${where}: options must be an object, got ${show(value)}`);
  }
}

export function expectOneOf<T extends string>(where: string, param: string, value: unknown, allowed: readonly T[]): void {
  if (!allowed.includes(value as T)) throw new RangeError(`${where}: ${param} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
}
