/**
 * Loads a network module for `cspflow run` and `cspflow graph`.
 *
 * A network module's default export is a network (made by `network(...)`), or a function that
 * returns one (or a promise of one); the function gets the arguments given after the module on
 * the command line. The module's own path is what the threads runtime's workers load, so the
 * processes they run must be exported from it (or from modules it names).
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Network } from '../index.js';
import { CliError, EXIT } from './exit-codes.js';

export interface LoadedNetwork {
  readonly net: Network;
  /** The module's file: URL (what the workers of the threads runtime load). */
  readonly url: string;
}

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'object' && value !== null && Array.isArray((value as Network).channels) && Array.isArray((value as Network).processes);
}

export async function loadNetwork(path: string, args: readonly string[], cwd: string): Promise<LoadedNetwork> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file)) throw new CliError(EXIT.notFound, `no such file: ${path} (looked for ${file})`);
  if (!statSync(file).isFile()) throw new CliError(EXIT.notFound, `not a file: ${path} (${file})`);
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? '\n  Plain node cannot load TypeScript: compile the module to JavaScript, or run the CLI through tsx (npx tsx node_modules/cspflow/dist/cli/main.js …).'
        : '';
    throw new CliError(EXIT.notFound, `could not load ${path}: ${error instanceof Error ? error.message : String(error)}${hint}`, { cause: error });
  }
  const exported = mod['default'];
  if (isNetwork(exported)) return { net: exported, url };
  if (typeof exported === 'function') {
    let made: unknown;
    try {
      made = await (exported as (args: readonly string[]) => unknown)(args);
    } catch (error) {
      throw new CliError(EXIT.notRunnable, `${path}: its default export threw while making the network: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    }
    if (isNetwork(made)) return { net: made, url };
    throw new CliError(EXIT.notRunnable, `${path}: its default export is a function, but it returned ${describe(made)} instead of a network (make it return network(...))`);
  }
  const names = Object.keys(mod).filter((k) => k !== 'default');
  throw new CliError(
    EXIT.notRunnable,
    `${path} exports nothing runnable: its default export must be a network (network(...)) or a function returning one.\n` +
      `  It has ${exported === undefined ? 'no default export' : `a default export that is ${describe(exported)}`}` +
      (names.length > 0 ? `; named exports: ${names.join(', ')}` : '; no named exports'),
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object (not a network)';
  return `a ${typeof value}`;
}
