/**
 * The threads runtime: the network runs over a pool of worker threads (`cspflow/threads`). It is
 * the transport-neutral placement of remote.ts over the thread host (src/transports/threads):
 * every channel lives in this thread unless declared `home: 'reader'`, processes placed on `main`
 * run here, the others in the workers, which run only processes exported by `modules`.
 */
import { threadHost } from '../transports/threads/pool.js';
import { remoteRuntime } from './remote.js';
import type { Runtime } from './runtime.js';

export interface ThreadsOptions {
  /** Worker threads in the pool. Default 2. */
  readonly size?: number;
  /**
   * The modules (URLs or `file:` paths, `.js` or `.ts`) whose exported processes and codecs the
   * workers may run. A worker runs only processes registered from these modules, by name.
   */
  readonly modules: readonly (string | URL)[];
}

export function threads(options: ThreadsOptions): Runtime {
  const size = options?.size ?? 2;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`threads({ size }): size must be an integer >= 1, got ${size}`);
  if (!Array.isArray(options?.modules)) throw new TypeError('threads({ modules }): modules must be an array of module URLs or paths');
  const modules = options.modules.map((m) => String(m));
  return remoteRuntime({ name: `threads(${size})`, size, unit: 'thread', host: () => threadHost(modules) });
}
