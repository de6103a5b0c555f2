/**
 * Loads the modules a worker (thread or NATS) was started with into a registry: their exported
 * processes and codecs become what it may run and decode. TypeScript modules load through tsx's
 * ESM loader (the one file importing tsx), registered once per thread.
 */
import { register, type Registry } from './registry.js';

const TS = /\.[mc]?tsx?$/;
const TSX_MARK = Symbol.for('cspflow.tsx');

/** Imports each module URL and registers its exports; rejects naming the module that failed. */
export async function loadModules(modules: readonly string[], registry: Registry): Promise<void> {
  if (modules.some((m) => TS.test(m)) && (globalThis as Record<symbol, unknown>)[TSX_MARK] !== true) {
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsx();
    (globalThis as Record<symbol, unknown>)[TSX_MARK] = true;
  }
  for (const url of modules) register(registry, (await import(url)) as Record<string, unknown>, url);
}
