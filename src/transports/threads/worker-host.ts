/**
 * The worker side of the thread transport: imports the modules the worker was started with,
 * registers their processes and codecs, then serves its link — runs the processes the other
 * side spawns (with proxy ends), and homes the channels the other side asks it to make.
 */
import { spawn } from '../../core/process.js';
import { Client } from './client.js';
import { Home, HomeRegistry } from './home.js';
import { Link, type Frame } from './link.js';
import { startData, Wire, type WireSide } from './node-threads.js';
import { builtinCodecs, register, type Registry } from './registry.js';
import { argsFromSpecs, type ArgSpec } from './spawn-args.js';
import { toWire } from './wire-errors.js';

export interface WorkerStart {
  readonly wire: WireSide;
  readonly modules: readonly string[];
  readonly worker: number;
}

const TS = /\.[mc]?tsx?$/;
const TSX_MARK = Symbol.for('cspflow.tsx');

async function loadModules(modules: readonly string[], registry: Registry): Promise<void> {
  if (modules.some((m) => TS.test(m)) && (globalThis as Record<symbol, unknown>)[TSX_MARK] !== true) {
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsx();
    (globalThis as Record<symbol, unknown>)[TSX_MARK] = true;
  }
  for (const url of modules) register(registry, (await import(url)) as Record<string, unknown>, url);
}

async function main(): Promise<void> {
  const start = startData() as WorkerStart;
  const registry: Registry = { processes: new Map(), codecs: builtinCodecs() };
  const link = new Link(new Wire(start.wire), 0);
  // Nothing is served until the modules are loaded: a spawn makes its ends only then, and no
  // operation may find a channel of this thread looking abandoned in between.
  link.pause();
  const client = new Client(link);
  const homes = new HomeRegistry();
  new Home(homes, link, registry.codecs);
  const runSpawn = (f: Frame): void => {
    const pid = f['pid'] as number;
    const ended = (error?: unknown): void => link.send({ t: 'ended', pid, x: error === undefined ? undefined : toWire(error) });
    try {
      const factory = registry.processes.get(f['name'] as string);
      if (factory === undefined) throw new Error(`no process named "${String(f['name'])}" is exported by its modules (${start.modules.join(', ')})`);
      const args = argsFromSpecs(f['args'] as ArgSpec[], client, registry.codecs, pid, homes);
      spawn(factory(...args)).then(() => ended(), ended);
    } catch (error) {
      ended(error);
    }
  };
  link.host = (f) => {
    if (f.t !== 'spawn') throw new Error(`worker host: unexpected "${f.t}" frame`);
    runSpawn(f);
  };
  try {
    await loadModules(start.modules, registry);
  } catch (error) {
    link.send({ t: 'log', x: toWire(error) });
    link.flush();
    throw error;
  }
  link.resume();
}

await main();
