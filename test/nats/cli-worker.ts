/** Starts `cspflow worker` as a child node process (from source, through tsx), for the tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const FIXTURE_PATH = fileURLToPath(new URL('../fixtures/pipeline.ts', import.meta.url));

export interface CliWorker {
  readonly child: ChildProcess;
  /** Resolves once the worker printed its ready line; rejects if it exits first. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

export function startCliWorker(args: readonly string[], env: Record<string, string> = {}): CliWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=cspflow-source', CLI, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (/ready:/.test(out)) resolve();
    };
    child.stdout?.on('data', check);
    void exited.then(({ code }) => reject(new Error(`worker exited (code ${code}) before it was ready: ${err}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited, stdout: () => out, stderr: () => err };
}
