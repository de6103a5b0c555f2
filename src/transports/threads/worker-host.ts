/**
 * The worker side of the thread transport: it imports the modules the worker was started with
 * (once), registering their processes and codecs, then serves every link the main thread gives
 * it — one per run using this worker — as a station of its own: it runs the processes spawned
 * there and homes the channels made there, until the main thread closes that link. The direct
 * routes to other workers of a run (record 0014) join that run's station. Nothing is served
 * until the modules are loaded; if they fail to load, each link is told (the main thread loses
 * this worker with a ModuleLoadError).
 */
import { loadModules } from '../../remote/load-modules.js';
import { newRegistry } from '../../remote/registry.js';
import { Station } from '../../remote/station.js';
import { markWorker } from '../../remote/worker-mark.js';
import { markError } from '../../remote/wire-errors.js';
import { registerThreadErrors, WorkerCrashedError } from './errors.js';
import { onLink, PortWire, startData, type RouteTo } from './node-threads.js';
import type { WorkerStart } from './pool.js';

function main(): void {
  const started = startData();
  if (started === null) throw new Error('worker-host runs only in a worker thread');
  const start = started.data as WorkerStart;
  const registry = newRegistry();
  markWorker();
  const loaded = loadModules(start.modules, registry);
  loaded.catch(() => {});
  /** The station of each run using this worker, by the run's number. */
  const runs = new Map<number, Station>();
  onLink((port, run, route) => {
    const wire = new PortWire(port);
    if (route !== undefined) return serveRoute(runs.get(run), wire, route, loaded);
    const station = new Station({ id: `worker ${started.threadId}`, registry });
    registerThreadErrors(station.errors);
    runs.set(run, station);
    const connection = station.connect(wire, { peer: 'main', description: 'the main thread' });
    connection.pause();
    wire.onClosed(() => {
      // The run is over: its routes to other workers close with it.
      runs.delete(run);
      for (const c of station.connections) c.close();
    });
    loaded.then(
      () => connection.resume(),
      (error: unknown) => connection.abandon(error),
    );
  });
}

/**
 * A direct route to another worker of a run (record 0014), connected to that run's station. The
 * route closing while the run goes on means the other worker died: the ends it held here, and
 * this side's ends of channels living there, fail with WorkerCrashedError.
 */
function serveRoute(station: Station | undefined, wire: PortWire, route: RouteTo, loaded: Promise<void>): void {
  if (station === undefined) return wire.close();
  const connection = station.connect(wire, {
    peer: route.peer,
    description: `worker ${route.thread}`,
    mark: (error) => markError(error, 'worker', route.thread),
    lostError: (cause) => (cause instanceof WorkerCrashedError ? cause : new WorkerCrashedError(route.thread, cause)),
  });
  connection.pause();
  wire.onClosed(() => connection.lose(new WorkerCrashedError(route.thread, 'its route to this worker closed')));
  loaded.then(
    () => connection.resume(),
    () => {},
  );
}

main();
