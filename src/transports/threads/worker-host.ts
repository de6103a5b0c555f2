/**
 * The worker side of the thread transport: a station that imports the modules the worker was
 * started with, registers their processes and codecs, then serves its link to the main thread —
 * runs the processes spawned there, and homes the channels made there. Nothing is served until
 * the modules are loaded; if they fail to load, the main thread is told (the worker is lost).
 */
import { loadModules } from '../../remote/load-modules.js';
import { Station } from '../../remote/station.js';
import { registerThreadErrors } from './errors.js';
import { PortWire, startData } from './node-threads.js';
import type { WorkerStart } from './pool.js';

async function main(): Promise<void> {
  const started = startData();
  if (started === null) throw new Error('worker-host runs only in a worker thread');
  const start = started.data as WorkerStart;
  const station = new Station({ id: `worker ${started.threadId}` });
  registerThreadErrors(station.errors);
  const connection = station.connect(new PortWire(start.port), { peer: 'main', description: 'the main thread' });
  connection.pause();
  try {
    await loadModules(start.modules, station.registry);
  } catch (error) {
    connection.abandon(error);
    throw error;
  }
  connection.resume();
}

await main();
