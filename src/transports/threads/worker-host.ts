/**
 * The worker side of the thread transport: it imports the modules the worker was started with
 * (once), registering their processes and codecs, then serves every link the main thread gives
 * it — one per run using this worker — as a station of its own: it runs the processes spawned
 * there and homes the channels made there, until the main thread closes that link. Nothing is
 * served until the modules are loaded; if they fail to load, each link is told (the main thread
 * loses this worker with a ModuleLoadError).
 */
import { loadModules } from '../../remote/load-modules.js';
import { newRegistry } from '../../remote/registry.js';
import { Station } from '../../remote/station.js';
import { markWorker } from '../../remote/worker-mark.js';
import { registerThreadErrors } from './errors.js';
import { onLink, PortWire, startData } from './node-threads.js';
import type { WorkerStart } from './pool.js';

function main(): void {
  const started = startData();
  if (started === null) throw new Error('worker-host runs only in a worker thread');
  const start = started.data as WorkerStart;
  const registry = newRegistry();
  markWorker();
  const loaded = loadModules(start.modules, registry);
  loaded.catch(() => {});
  onLink((port) => {
    const station = new Station({ id: `worker ${started.threadId}`, registry });
    registerThreadErrors(station.errors);
    const wire = new PortWire(port);
    const connection = station.connect(wire, { peer: 'main', description: 'the main thread' });
    connection.pause();
    wire.onClosed(() => connection.close());
    loaded.then(
      () => connection.resume(),
      (error: unknown) => connection.abandon(error),
    );
  });
}

main();
