/**
 * The thread host: a pool of worker threads for one run. Each worker is a station of its own
 * (worker-host.ts) connected to the runtime's station by a PortWire; a worker that dies is lost
 * with a WorkerCrashedError — its ends are poisoned with it, its processes fail with it.
 */
import { existsSync } from 'node:fs';
import type { Connector, Host, Peer, PeerConnection } from '../../remote/peer.js';
import { markError } from '../../remote/wire-errors.js';
import { registerThreadErrors, WorkerCrashedError } from './errors.js';
import { portPair, PortWire, startWorker, type MessagePort, type WorkerHandle } from './node-threads.js';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const FROM_SOURCE = !existsSync(new URL('./worker-host.js', import.meta.url));

/** What a worker is started with. */
export interface WorkerStart {
  readonly port: MessagePort;
  readonly modules: readonly string[];
}

interface Started {
  readonly handle: WorkerHandle;
  readonly connection: PeerConnection;
}

/** A host whose peers are worker threads that load `modules` (URLs or paths, `.js` or `.ts`). */
export function threadHost(modules: readonly string[]): Host {
  const started: Started[] = [];
  return {
    async start(station: Connector, count: number): Promise<readonly Peer[]> {
      registerThreadErrors(station.errors);
      for (let i = 0; i < count; i++) started.push(startOne(station, modules));
      return started.map((s) => s.connection);
    },
    async close(): Promise<void> {
      await Promise.all(
        started.map(async ({ handle, connection }) => {
          connection.flush();
          await handle.terminate();
          connection.close();
        }),
      );
    },
  };
}

/** Starts one worker and connects it to `station`. */
export function startOne(station: Connector, modules: readonly string[]): Started {
  const { here, there } = portPair();
  const execArgv = [...process.execArgv];
  if (FROM_SOURCE && !execArgv.some((arg) => arg.includes('cspflow-source'))) execArgv.push('--conditions=cspflow-source');
  const start: WorkerStart = { port: there, modules };
  const handle = startWorker(ENTRY, start, [there], execArgv);
  const worker = handle.threadId;
  const connection = station.connect(new PortWire(here), {
    peer: `worker ${worker}`,
    description: `worker ${worker}`,
    mark: (error) => markError(error, 'worker', worker),
    lostError: (cause) => (cause instanceof WorkerCrashedError ? cause : new WorkerCrashedError(worker, cause)),
  });
  handle.onDeath((cause) => connection.lose(cause));
  return { handle, connection };
}
