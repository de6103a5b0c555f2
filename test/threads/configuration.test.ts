/**
 * Mistakes a user makes with the thread runtime end in a named error saying what to do, never in
 * a crash, a hang or a silent wrong result (issue 8). Each program runs in a child node
 * (test/fixtures/thread-scenarios.ts), so that an uncaught error, a hang or a refused Node option
 * shows in its exit code and stderr.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function node(args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(globalThis.process.execPath, args, { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const scenario = (name: string): Promise<Exit> => node([tsx, '--conditions=cspflow-source', 'test/fixtures/thread-scenarios.ts', name]);

function outcome(exit: Exit): Record<string, unknown> {
  const lines = exit.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
}

describe('a spawn argument that cannot go to a worker', () => {
  it('a closure given to a process placed in a worker: run() rejects with SpawnArgumentError naming the process, the argument and the fix', async () => {
    const exit = await scenario('closure');
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    const got = outcome(exit);
    expect(got).toMatchObject({ name: 'SpawnArgumentError', code: 'ERR_CSPFLOW_SPAWN_ARGUMENT', process: 'thread-procs/total', argument: 2 });
    expect(got['message']).toMatch(/process "thread-procs\/total" .* argument 2 .*a function/);
    expect(got['message']).toMatch(/net\.spawn\(thread-procs\/total\(…\), \{ place: 'main' \}\)/);
  });

  it('the same with an uncaughtException handler installed: the run rejects (no hang, nothing uncaught)', async () => {
    const exit = await scenario('closure-with-handler');
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    expect(exit.stdout).not.toMatch(/uncaught/);
    expect(outcome(exit)).toMatchObject({ name: 'SpawnArgumentError', process: 'thread-procs/total', argument: 2 });
  });

  it('an end of a core chan() made inside network(): SpawnArgumentError saying to use net.channel()', async () => {
    const exit = await scenario('core-channel');
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    const got = outcome(exit);
    expect(got).toMatchObject({ name: 'SpawnArgumentError', process: 'thread-procs/numbers', argument: 2 });
    expect(got['message']).toMatch(/made with chan\(\).*net\.channel\('name'\)/);
  });
});

describe('Node options of the host', () => {
  it('a threads run works under --max-old-space-size, --stack-size and --expose-gc', async () => {
    const flags = ['--max-old-space-size=512', '--stack-size=900', '--expose-gc'];
    const exit = await node([...flags, '--import', 'tsx', '--conditions=cspflow-source', 'test/fixtures/thread-scenarios.ts', 'flags']);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout.trim().split('\n')).toEqual([JSON.stringify({ total: 55 }), JSON.stringify({ resolved: true })]);
  });
});

describe('a program in one file', () => {
  it('guarded by isWorker(), the workers import it for its processes without running the main program again', async () => {
    const exit = await node([tsx, '--conditions=cspflow-source', 'test/fixtures/thread-one-file.ts']);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe('sum of squares 1..10 = 385\n');
  });
});
