/** Is it a task? (Separate from check.ts: types.ts depends on what check.ts serves.) */
import { invalid } from './check.js';
import type { AnyTask } from './types.js';

/** True for a task made by task(name, fn). */
export function isTask(value: unknown): value is AnyTask {
  return typeof value === 'function' && typeof (value as Partial<AnyTask>).taskName === 'string' && typeof (value as Partial<AnyTask>).fn === 'function';
}

/** Throws unless `value` is a task. */
export function checkTask(call: string, parameter: string, value: unknown): asserts value is AnyTask {
  if (!isTask(value)) throw invalid('type', call, parameter, value, 'a task made by task(name, fn)');
}
