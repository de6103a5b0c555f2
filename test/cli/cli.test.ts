/**
 * The `cspflow` CLI end to end, spawned as a child process: help on every command, the exit-code
 * table, progress when stderr is not a terminal, --json lines, graph, replay and bench.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli, ROOT } from './run-cli.js';

const FIXTURES = 'test/fixtures/cli';

describe('help and usage', () => {
  it.each(['run', 'graph', 'replay', 'bench', 'inspect', 'worker'])('`cspflow %s --help` shows the usage and exits 0', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(new RegExp(`^Usage: cspflow ${command} `));
  });

  it('`cspflow --help` lists every command; --version prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(EXIT.ok);
    for (const command of ['run', 'graph', 'replay', 'bench', 'inspect', 'worker']) expect(help.stdout).toContain(`  ${command} `);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command, an unknown option or a bad value is a usage error (2)', async () => {
    expect((await cli(['launch'])).code).toBe(EXIT.usage);
    expect((await cli(['run', 'examples/17-long-run.ts', '--fast'])).code).toBe(EXIT.usage);
    const runtime = await cli(['run', 'examples/17-long-run.ts', '--runtime', 'moon']);
    expect(runtime.code).toBe(EXIT.usage);
    expect(runtime.stderr).toContain('Allowed choices are local, threads');
    const workers = await cli(['run', 'examples/17-long-run.ts', '--workers', 'many']);
    expect(workers.code).toBe(EXIT.usage);
    expect(workers.stderr).toContain('--workers: expected an integer >= 1, got "many"');
  });
});

describe('cspflow run: what a wrong module gets', () => {
  it('a path that does not exist: 3, saying where it looked', async () => {
    const r = await cli(['run', 'no/such/module.js']);
    expect(r.code).toBe(EXIT.notFound);
    expect(r.stderr).toContain(`no such file: no/such/module.js (looked for ${join(ROOT, 'no/such/module.js')})`);
  });

  it('a module that fails to load: 3, with its error', async () => {
    const r = await cli(['run', `${FIXTURES}/throws-on-load.ts`]);
    expect(r.code).toBe(EXIT.notFound);
    expect(r.stderr).toContain('this module refuses to load');
  });

  it('a module exporting nothing runnable: 4, naming what it does export', async () => {
    const r = await cli(['run', `${FIXTURES}/nothing.ts`]);
    expect(r.code).toBe(EXIT.notRunnable);
    expect(r.stderr).toContain('exports nothing runnable');
    expect(r.stderr).toContain('named exports: answer');
    const wrong = await cli(['graph', `${FIXTURES}/wrong-return.ts`]);
    expect(wrong.code).toBe(EXIT.notRunnable);
    expect(wrong.stderr).toContain('returned a number instead of a network');
  });
});

describe('cspflow run: outcomes and progress', () => {
  it('with stderr not a terminal: plain progress lines, then a summary; the network prints on stdout; exit 0', async () => {
    const r = await cli(['run', 'examples/17-long-run.ts', '--interval', '50', '--', '400000']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe('33860 primes up to 400000\n');
    const lines = r.stderr.trim().split('\n');
    const last = lines.at(-1) as string;
    expect(last).toMatch(/^done in \d+\.\d s · candidates 399,999 · is-prime ×2 33,860 · count 33,860$/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\[\d+\.\d s\] running · candidates [\d,]+.* \| numbers [\d]+\/256 · primes [\d]+\/256$/);
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('--json: a start line, progress lines with snapshots, an end line', async () => {
    const r = await cli(['run', 'examples/17-long-run.ts', '--json', '--interval', '50', '--', '200000']);
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(lines[0]).toEqual({ type: 'start', module: 'examples/17-long-run.ts', runtime: 'local' });
    const end = lines.at(-1) as { type: string; ok: boolean; snapshot: { stages: { name: string; items: number }[] } };
    expect(end).toMatchObject({ type: 'end', ok: true, interrupted: false });
    expect(end.snapshot.stages.map((s) => [s.name, s.items])).toEqual([
      ['candidates', 199_999],
      ['is-prime', 17_984],
      ['count', 17_984],
    ]);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1, -1).every((l) => l.type === 'progress' && typeof l['elapsed'] === 'number')).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('on the threads runtime (the workers load the same module): the same count', async () => {
    const r = await cli(['run', 'examples/17-long-run.ts', '--runtime', 'threads', '--workers', '2', '--', '100000']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe('9592 primes up to 100000\n');
    expect(r.stderr).toMatch(/done in .* · count 9,592\n$/);
  });

  it('a failing network: 1, with the error and the process it came from', async () => {
    const r = await cli(['run', `${FIXTURES}/fails.ts`]);
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain('failed after');
    expect(r.stderr).toContain('RangeError: three is not allowed\n  in process "picky"');
  });

  it('a deadlocking network: 5, with the wait-for cycle', async () => {
    const r = await cli(['run', `${FIXTURES}/deadlock.ts`]);
    expect(r.code).toBe(EXIT.deadlock);
    expect(r.stderr).toContain('DeadlockError: deadlock: 2 process(es) wait on channels nothing else can complete');
    expect(r.stderr).toMatch(/wait-for cycle:\n {4}relay #\d+ waits to read "[ab]", which only relay #\d+ can complete\n {4}relay #\d+ waits to read "[ab]", which only relay #\d+ can complete/);
  });

  it('--inspect on a port that is taken: 6', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await cli(['run', 'examples/17-long-run.ts', '--inspect', String(port), '--', '1000']);
      expect(r.code).toBe(EXIT.unreachable);
      expect(r.stderr).toContain(`the live view cannot listen on 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});

describe('cspflow graph', () => {
  it('prints Mermaid by default, DOT and JSON on request', async () => {
    const mermaid = await cli(['graph', 'examples/17-long-run.ts']);
    expect(mermaid.code).toBe(EXIT.ok);
    expect(mermaid.stdout).toBe(
      [
        'flowchart LR',
        '  p0["candidates<br/>default"]',
        '  p1["is-prime ×2<br/>default"]',
        '  p2["count<br/>default"]',
        '  p0 -->|"numbers<br/>fixed(256)"| p1',
        '  p1 -->|"primes<br/>fixed(256)"| p2',
        '',
      ].join('\n'),
    );
    const dot = await cli(['graph', 'examples/17-long-run.ts', '--format', 'dot']);
    expect(dot.stdout).toContain('p0 -> p1 [label="numbers\\nfixed(256)"];');
    const json = await cli(['graph', 'examples/17-long-run.ts', '--format', 'json', '--', '10']);
    expect(JSON.parse(json.stdout)).toMatchObject({ processes: [{ name: 'candidates' }, { name: 'is-prime', replicas: 2 }, { name: 'count' }] });
  });
});

describe('cspflow replay', () => {
  const project = join(ROOT, 'test/fixtures/replay');

  it('re-runs the property with the printed schedule: the failing one fails (1), the natural order passes (0)', async () => {
    const failing = await cli(['replay', 'race.prop.ts', '1'], { cwd: project });
    expect(failing.code).toBe(EXIT.failed);
    expect(failing.stdout + failing.stderr).toContain(`expected 'b' to be 'a'`);
    expect(failing.stdout).toContain('replaying "1" (CSPFLOW_REPLAY)');
    const passing = await cli(['replay', 'race.prop.ts', ''], { cwd: project });
    expect(passing.code).toBe(EXIT.ok);
  });

  it('a malformed schedule is a usage error; a missing test file is 3', async () => {
    const bad = await cli(['replay', 'race.prop.ts', '1,x'], { cwd: project });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('bad token "x"');
    expect((await cli(['replay', 'nope.prop.ts', '1'], { cwd: project })).code).toBe(EXIT.notFound);
  });
});

describe('cspflow bench', () => {
  it('--quick --json: every case measured and checked', async () => {
    const r = await cli(['bench', '--quick', '--reps', '1', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as { results: { scenario: string; library: string; median: number }[] };
    expect(out.results.map((x) => `${x.scenario}/${x.library}`)).toEqual(['commstime/floor', 'commstime/cspflow', 'stream/floor', 'stream/cspflow']);
    expect(out.results.every((x) => x.median > 0)).toBe(true);
  });
});
