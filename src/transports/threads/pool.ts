/**
 * The thread host: a pool of worker threads that outlives one run. Each worker loads its modules
 * once and serves one link per run that uses it (worker-host.ts): a run connects its station to
 * the workers it needs over fresh MessagePorts (and joins two of them directly, by the two ports of
 * a MessageChannel, where a route is asked for) and closes those ports when it ends; the workers
 * stay for the next run until the pool is closed, has been idle for its idle time, or is
 * garbage-collected (an idle worker never keeps Node alive; the idle time bounds the threads a
 * program making a runtime per run leaves behind). A worker that dies, or cannot load its modules, is
 * lost to the runs using it — their ends are poisoned with WorkerCrashedError (ModuleLoadError),
 * their processes fail — and is replaced by a fresh one at the next run.
 */
import { existsSync } from 'node:fs';
import { asModuleLoadError } from '../../remote/load-modules.js';
import type { Connector, Host, Peer, PeerConnection } from '../../remote/peer.js';
import { markError } from '../../remote/wire-errors.js';
import { registerThreadErrors, WorkerCrashedError } from './errors.js';
import { portPair, PortWire, startWorker, type WorkerHandle } from './node-threads.js';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const FROM_SOURCE = !existsSync(new URL('./worker-host.js', import.meta.url));

/** What a worker is started with. */
export interface WorkerStart {
  readonly modules: readonly string[];
}

/** One worker of a pool, and the links of the runs using it now. */
interface PoolWorker {
  readonly handle: WorkerHandle;
  readonly links: Set<PeerConnection>;
  /** Dead, or unable to serve: replaced at the next run. */
  broken: boolean;
}

/** A pool of worker threads that load `modules` (URLs, `.js` or `.ts`), for any number of runs. */
export interface ThreadPool {
  /** A host for one run: it connects to `count` workers of the pool (starting those missing) and lets go of them at the end. */
  host(): Host;
  /** Stops every worker. */
  close(): Promise<void>;
}

const collected = new FinalizationRegistry<PoolWorker[]>((workers) => {
  for (const w of workers) void w.handle.terminate();
});

/**
 * A pool of workers for `modules`; `owner` is the object whose collection stops them (the runtime).
 * Workers idle (no run using the pool) for `idleMs` are stopped, and started again by the next run.
 */
export function threadPool(modules: readonly string[], owner: object, idleMs: number): ThreadPool {
  const workers: PoolWorker[] = [];
  collected.register(owner, workers);
  let running = 0;
  /** Runs started on this pool: a run's links and routes name it. */
  let runs = 0;
  let idle: ReturnType<typeof setTimeout> | null = null;
  const busy = (): void => {
    running++;
    if (idle !== null) clearTimeout(idle);
    idle = null;
  };
  const done = (): void => {
    if (--running > 0 || !Number.isFinite(idleMs)) return;
    idle = setTimeout(() => {
      idle = null;
      if (running === 0) for (const w of workers.splice(0)) void w.handle.terminate();
    }, idleMs);
    idle.unref();
  };
  const worker = (i: number): PoolWorker => {
    let w = workers[i];
    if (w === undefined || w.broken) {
      // A broken worker still linked to a run in progress is stopped when that run lets go of it.
      if (w !== undefined && w.links.size === 0) void w.handle.terminate();
      w = startPoolWorker(modules);
      workers[i] = w;
    }
    return w;
  };
  return {
    host(): Host & { readonly owner: object } {
      const mine: { readonly worker: PoolWorker; readonly connection: PeerConnection }[] = [];
      const run = ++runs;
      let counted = false;
      return {
        // A run in progress holds its host, and so the owner: the pool is not collected under it.
        owner,
        async start(station: Connector, count: number): Promise<readonly Peer[]> {
          registerThreadErrors(station.errors);
          counted = true;
          busy();
          for (let i = 0; i < count; i++) {
            const w = worker(i);
            mine.push({ worker: w, connection: connectTo(w, station, run) });
          }
          return mine.map((m) => m.connection);
        },
        route(a: Peer, b: Peer): void {
          const wa = mine.find((m) => m.connection === a)?.worker as PoolWorker;
          const wb = mine.find((m) => m.connection === b)?.worker as PoolWorker;
          const { here, there } = portPair();
          wa.handle.link(here, run, { peer: b.id, thread: wb.handle.threadId });
          wb.handle.link(there, run, { peer: a.id, thread: wa.handle.threadId });
        },
        async close(): Promise<void> {
          for (const { worker: w, connection } of mine) {
            connection.flush();
            connection.close();
            w.links.delete(connection);
            if (w.broken && w.links.size === 0 && !workers.includes(w)) void w.handle.terminate();
          }
          if (counted) done();
          counted = false;
        },
      };
    },
    async close(): Promise<void> {
      if (idle !== null) clearTimeout(idle);
      collected.unregister(owner);
      await Promise.all(workers.splice(0).map((w) => w.handle.terminate()));
    },
  };
}

function startPoolWorker(modules: readonly string[]): PoolWorker {
  const start: WorkerStart = { modules };
  const handle = startWorker(ENTRY, start, workerExecArgv(process.execArgv));
  const w: PoolWorker = { handle, links: new Set(), broken: false };
  handle.onDeath((cause) => {
    w.broken = true;
    for (const link of w.links) link.lose(cause);
  });
  return w;
}

/** A new link between `station` and the worker, for run `run`. */
function connectTo(w: PoolWorker, station: Connector, run: number): PeerConnection {
  const { here, there } = portPair();
  const worker = w.handle.threadId;
  const connection = station.connect(new PortWire(here), {
    peer: `worker ${worker}`,
    description: `worker ${worker}`,
    mark: (error) => markError(error, 'worker', worker),
    lostError: (cause) => {
      // A worker that could not load its modules is a configuration error, told as such; a link
      // lost for any reason leaves the worker unfit for another run.
      w.broken = true;
      return cause instanceof WorkerCrashedError ? cause : (asModuleLoadError(cause) ?? new WorkerCrashedError(worker, cause));
    },
  });
  w.links.add(connection);
  w.handle.link(there, run);
  return connection;
}

/**
 * The Node options a worker is started with: null to inherit this thread's (Node then leaves out
 * the process-wide ones a worker refuses, such as --max-old-space-size, --stack-size, --expose-gc).
 * Only when this package runs from source without the `cspflow-source` condition in force is a
 * list given: the condition, with the loader options kept from this thread and nothing else.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | null {
  if (!FROM_SOURCE || execArgv.some((arg) => arg.includes('cspflow-source'))) return null;
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (LOADER_OPTION.test(arg)) kept.push(arg);
    else if (LOADER_OPTION_WITH_VALUE.includes(arg) && i + 1 < execArgv.length) kept.push(arg, execArgv[++i] as string);
  }
  return [...kept, '--conditions=cspflow-source'];
}

/** Options a worker accepts and may need to load modules: `--import=x`, `--conditions=x`, `--enable-source-maps`, … */
const LOADER_OPTION = /^(--(import|require|loader|experimental-loader|conditions)=|-C.|--enable-source-maps$|--no-warnings$|--experimental-|--no-experimental-)/;
/** The same, given their value as the next argument. */
const LOADER_OPTION_WITH_VALUE = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'];

/** Starts one worker of its own and connects it to `station` (a worker homing channels for tests). */
export function startOne(station: Connector, modules: readonly string[]): { readonly handle: WorkerHandle; readonly connection: PeerConnection } {
  registerThreadErrors(station.errors);
  const w = startPoolWorker(modules);
  return { handle: w.handle, connection: connectTo(w, station, 0) };
}
