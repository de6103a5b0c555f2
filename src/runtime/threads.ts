/**
 * The threads runtime: the network runs over a pool of worker threads (`cspflow/threads`). It is
 * the transport-neutral placement of remote.ts over the thread host (src/transports/threads):
 * every channel lives in this thread unless declared `home: 'reader'`, processes placed on `main`
 * run here, the others in the workers, which run only processes exported by `modules`.
 *
 * One runtime is one pool, for as many runs as wanted: its workers start with its first run and
 * stay (idle, not keeping Node alive) until `close()` — which waits for the runs in progress —,
 * until they have been idle for `idleTimeout` (the next run starts them again), or until nothing
 * holds the runtime any more. A run after close() rejects with RuntimeClosedError.
 * Called inside a cspflow worker, threads() throws WorkerRuntimeError (see worker-mark.ts).
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkOptions, invalidArgument } from '../core/validate.js';
import { isWorker } from '../remote/worker-mark.js';
import { RuntimeClosedError, WorkerRuntimeError } from '../transports/threads/errors.js';
import { defaultPoolSize } from '../transports/threads/node-threads.js';
import { threadPool } from '../transports/threads/pool.js';
import { remoteRuntime } from './remote.js';
import type { Execution, Runtime } from './runtime.js';

export interface ThreadsOptions {
  /** Worker threads in the pool. Default: `os.availableParallelism()`. */
  readonly size?: number;
  /**
   * The modules whose exported processes and codecs the workers may run: URLs (`new
   * URL('./procs.ts', import.meta.url)`, `import.meta.url`) or absolute paths, `.js` or `.ts`. A
   * relative path is refused (it would be resolved against cspflow's own folder, not yours). A
   * worker runs only processes registered from these modules, by name.
   */
  readonly modules: readonly (string | URL)[];
  /**
   * How long, in ms, the workers stay after the last run ends, ready for the next; then they stop
   * (a later run starts them again). Default 1000; `Infinity` keeps them until `close()`.
   */
  readonly idleTimeout?: number;
}

/** A thread runtime: a pool of workers reused by every run given it; close it (or `await using`) when done. */
export interface ThreadsRuntime extends Runtime, AsyncDisposable {
  readonly size: number;
  /** Waits for the runs in progress, then stops the workers. Idempotent. */
  close(): Promise<void>;
}

const CALL = 'threads(options)';

export function threads(options: ThreadsOptions): ThreadsRuntime {
  checkOptions(CALL, 'options', options, ['size', 'modules', 'idleTimeout']);
  const size = options?.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`threads({ size }): size must be an integer >= 1, got ${size}`);
  if (!Array.isArray(options?.modules)) throw new TypeError('threads({ modules }): modules must be an array of module URLs or paths');
  const modules = options.modules.map((m, i) => moduleUrl(m, i));
  const idleTimeout = options.idleTimeout ?? 1000;
  if (typeof idleTimeout !== 'number' || !(idleTimeout >= 0)) throw invalidArgument('range', CALL, 'options.idleTimeout', idleTimeout, 'a number of ms >= 0, or Infinity');
  if (isWorker()) throw new WorkerRuntimeError();
  const name = `threads(${size})`;
  const active = new Set<Promise<void>>();
  let closing: Promise<void> | null = null;
  const runtime: ThreadsRuntime = {
    name,
    size,
    execute(net, context): Execution {
      if (closing !== null) return { done: Promise.reject(new RuntimeClosedError(name)), drain: () => {} };
      const execution = remote.execute(net, context);
      const settled = execution.done.then(
        () => {},
        () => {},
      );
      active.add(settled);
      void settled.then(() => active.delete(settled));
      return execution;
    },
    close(): Promise<void> {
      closing ??= Promise.all(active).then(() => pool.close());
      return closing;
    },
    [Symbol.asyncDispose]: () => runtime.close(),
  };
  const pool = threadPool(modules, runtime, idleTimeout);
  const remote = remoteRuntime({ name, size, unit: 'thread', host: () => pool.host() });
  return runtime;
}

/** A module as a worker imports it: a URL; an absolute path becomes a file URL; a relative one is refused. */
function moduleUrl(module: unknown, i: number): string {
  const parameter = `options.modules[${i}]`;
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') throw invalidArgument('type', CALL, parameter, module, 'a module URL or an absolute path');
  if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') {
    throw invalidArgument(
      'range',
      CALL,
      parameter,
      module,
      'a module URL or an absolute path (a relative path would be resolved against cspflow’s own folder, not yours)',
      `Write new URL(${JSON.stringify(module)}, import.meta.url).`,
    );
  }
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}
