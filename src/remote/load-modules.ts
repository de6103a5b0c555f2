/**
 * Loads the modules a worker (thread or NATS) was started with into a registry: their exported
 * processes and codecs become what it may run and decode. TypeScript modules load through tsx's
 * ESM loader (the one file importing tsx), registered once per thread.
 *
 * A module that cannot be loaded — not found, a syntax error, a throw at its top level, TypeScript
 * without tsx — is a ModuleLoadError naming it (and the line, when Node or tsx gives one): a
 * configuration error to fix, not a crash of the worker.
 */
import { fileURLToPath } from 'node:url';
import { ModuleLoadError } from './errors.js';
import { register, type Registry } from './registry.js';

const TS = /\.[mc]?tsx?$/;
const TSX_MARK = Symbol.for('cspflow.tsx');

/** Imports each module URL and registers its exports; rejects with a ModuleLoadError naming the module that failed. */
export async function loadModules(modules: readonly string[], registry: Registry): Promise<void> {
  const typescript = modules.find((m) => TS.test(m));
  if (typescript !== undefined && (globalThis as Record<symbol, unknown>)[TSX_MARK] !== true) {
    let registerTsx: () => unknown;
    try {
      ({ register: registerTsx } = await import('tsx/esm/api'));
    } catch (cause) {
      throw new ModuleLoadError(
        typescript,
        undefined,
        'it is TypeScript, and a worker loads TypeScript through tsx, which is not installed. Install it (npm install --save-dev tsx), or give the compiled .js module',
        cause,
      );
    }
    registerTsx();
    (globalThis as Record<symbol, unknown>)[TSX_MARK] = true;
  }
  for (const url of modules) {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(url)) as Record<string, unknown>;
    } catch (cause) {
      throw new ModuleLoadError(url, lineIn(url, cause), cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), cause);
    }
    register(registry, exports, url);
  }
}

/** The line of `url` an error points at (Node puts `url:line` atop a SyntaxError's stack; tsx puts `path:line:column` in its message). */
function lineIn(url: string, error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const text = `${error.message}\n${error.stack ?? ''}`;
  const names = [url];
  if (url.startsWith('file:')) names.push(fileURLToPath(url));
  for (const name of names) {
    const at = text.indexOf(`${name}:`);
    if (at === -1) continue;
    const line = /^\d+/.exec(text.slice(at + name.length + 1));
    if (line !== null) return Number(line[0]);
  }
  return undefined;
}

/**
 * `cause` as a ModuleLoadError if it is one, or was one before a thread boundary turned it into
 * a plain Error with the same fields (a worker's uncaught error reaches its Worker that way).
 */
export function asModuleLoadError(cause: unknown): ModuleLoadError | null {
  if (cause instanceof ModuleLoadError) return cause;
  const c = cause as { code?: unknown; module?: unknown; line?: unknown; message?: unknown; cause?: unknown } | null;
  if (typeof c !== 'object' || c === null || c.code !== 'ERR_CSPFLOW_MODULE_LOAD' || typeof c.module !== 'string') return null;
  const error = new ModuleLoadError(c.module, typeof c.line === 'number' ? c.line : undefined, '', c.cause);
  if (typeof c.message === 'string') error.message = c.message;
  return error;
}
