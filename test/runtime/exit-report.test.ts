/**
 * No silent exits (issue 8): a program whose event loop drains while cspflow operations are still
 * pending prints what waits on what to stderr and exits non-zero. Each program runs in a child
 * node (test/fixtures/exit-scenarios.ts), so its real exit code and stderr are what is checked.
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

function runScenario(name: string): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(globalThis.process.execPath, [tsx, '--conditions=cspflow-source', 'test/fixtures/exit-scenarios.ts', name], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the exit report', () => {
  it('processes blocked forever while the main program holds an end: report and exit code 1', async () => {
    const exit = await runScenario('main-holds-writer');
    expect(exit.stdout).toBe('4\n');
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/^cspflow: Node is about to exit with 1 channel operation still pending; nothing left running can complete them:$/m);
    expect(exit.stderr).toMatch(/^ {2}process "square" is blocked on read of "xs"$/m);
    expect(exit.stderr).toMatch(/^Ends held outside every process \(by the main program\) on those channels:$/m);
    expect(exit.stderr).toMatch(/^ {2}the writer of "xs": retire it once the main program is done writing/m);
  });

  it('a read whose only way out is an AbortSignal.timeout() signal: reported, not a silent exit 13', async () => {
    const exit = await runScenario('abort-timeout');
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/the main program is blocked on read of "xs" \(its abort signal or timer cannot fire once Node exits; AbortSignal\.timeout\(\) does not keep Node running\)/);
    expect(exit.stderr).toMatch(/the writer of "xs"/);
  });

  it('the main program awaiting a read nobody will satisfy', async () => {
    const exit = await runScenario('main-awaits-read');
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/^ {2}the main program is blocked on read of "ys"$/m);
  });

  it('a program that finishes its work exits 0 and prints no report', async () => {
    const exit = await runScenario('completes');
    expect(exit).toEqual({ code: 0, stdout: '9\n', stderr: '' });
  });
});
