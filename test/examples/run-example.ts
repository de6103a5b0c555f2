/** Runs an example the way a user does (tsx, source condition) and returns what it printed. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export async function runExample(file: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(globalThis.process.execPath, [tsx, '--conditions=cspflow-source', `examples/${file}`, ...args], {
    cwd: root,
    timeout: 60_000,
    env: { ...globalThis.process.env, ...env },
  });
  return stdout;
}
