/**
 * `watch(listener)`: every event of this thread, from every run and from code outside networks,
 * until the returned function is called. Channels made while something watches keep counters.
 */
import { currentRuntime } from '../core/runtime.js';
import type { CspflowEvent } from './events.js';
import { listen } from './hub.js';

export interface WatchOptions {
  /** Include process:block and process:resume (made on every waiting operation). Default true. */
  readonly operations?: boolean;
}

export function watch(listener: (event: CspflowEvent) => void, options: WatchOptions = {}): () => void {
  if (typeof listener !== 'function') throw new TypeError(`watch(listener): listener must be a function, got ${typeof listener}`);
  const operations = options.operations ?? true;
  if (typeof operations !== 'boolean') throw new TypeError(`watch(listener, { operations }): operations must be a boolean, got ${String(operations)}`);
  return listen(currentRuntime(), { wantsOperations: operations, event: (event) => listener(event) }).stop;
}
