/**
 * The CLI on NATS, end to end: `cspflow run --runtime nats` runs a network module on `cspflow
 * worker` processes started separately, `cspflow inspect` lists them, the processes on them and
 * the channel depths of a run in progress (text and --json), and a server that cannot be reached
 * is exit code 6 for both. A private nats-server per file; every command is a child process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { freePort, startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startCliWorker, type CliWorker } from '../nats/cli-worker.js';
import { cli, ROOT } from './run-cli.js';

const MODULE = 'examples/17-long-run.ts';
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let server: NatsServer;
let secured: NatsServer;
let workers: CliWorker[] = [];

beforeAll(async () => {
  [server, secured] = await Promise.all([startNatsServer(), startNatsServer({ user: 'alice', pass: 's3cret-pw' })]);
  workers = ['cw0', 'cw1'].map((name) => startCliWorker(['--nats', server.url, '--module', fileURLToPath(new URL(`../../${MODULE}`, import.meta.url)), '--name', name, '--prefix', 'clitest']));
  await Promise.all(workers.map((w) => w.ready));
}, 60_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await Promise.all([server?.dispose(), secured?.dispose()]);
}, 60_000);

interface Inspected {
  readonly workers: { id: string; running: number; runs: { run: string; processes: { name: string; count: number }[] }[] }[];
  readonly runs: { run: string; workers: string[]; channels: { name: string; kind: string; capacity: number; depth: number }[] }[];
}

describe('cspflow run --runtime nats', () => {
  it('runs the module on the separately started workers: the same count as on local()', async () => {
    const r = await cli(['run', MODULE, '--runtime', 'nats', '--nats', server.url, '--prefix', 'clitest', '--discover', '300', '--', '20000']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stderr).toMatch(/done in .* · count 2,262\n$/);
  });

  it('--json names the nats runtime and ends ok', async () => {
    const r = await cli(['run', MODULE, '--runtime', 'nats', '--nats', server.url, '--prefix', 'clitest', '--discover', '300', '--json', '--', '5000']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ type: 'start', module: MODULE, runtime: 'nats' });
    expect(lines.at(-1)).toMatchObject({ type: 'end', ok: true });
  });

  it('a server nobody listens on: 6, naming it', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const r = await cli(['run', MODULE, '--runtime', 'nats', '--nats', url, '--', '100']);
    expect(r.code, r.stderr).toBe(EXIT.unreachable);
    expect(r.stderr).toContain(`cannot connect to NATS at ${url}`);
  });

  it('refused credentials: 6, the password never printed', async () => {
    const r = await cli(['run', MODULE, '--runtime', 'nats', '--nats', secured.url, '--', '100'], { env: { CSPFLOW_NATS_USER: 'alice', CSPFLOW_NATS_PASS: 'wrong-pw' } });
    expect(r.code, r.stderr).toBe(EXIT.unreachable);
    expect(r.stderr).toMatch(/refused the credentials/);
    expect(r.stdout + r.stderr).not.toMatch(/wrong-pw|s3cret-pw/);
  });

  it('no worker under the prefix: 6, saying none answered', async () => {
    const r = await cli(['run', MODULE, '--runtime', 'nats', '--nats', server.url, '--prefix', 'nobody', '--discover', '200', '--', '100']);
    expect(r.code, r.stderr).toBe(EXIT.unreachable);
    expect(r.stderr).toMatch(/none answered/);
  });

  it('usage: --runtime nats without --nats, --nats without --runtime nats, a bad --restart', async () => {
    expect((await cli(['run', MODULE, '--runtime', 'nats', '--', '100'])).code).toBe(EXIT.usage);
    expect((await cli(['run', MODULE, '--nats', server.url, '--', '100'])).code).toBe(EXIT.usage);
    const restart = await cli(['run', MODULE, '--runtime', 'nats', '--nats', server.url, '--restart', 'soon', '--', '100']);
    expect(restart.code).toBe(EXIT.usage);
    expect(restart.stderr).toContain('--restart: expected an integer >= 0, got "soon"');
  });
});

describe('cspflow inspect --nats', () => {
  it('with nothing running: the workers, no run', async () => {
    const r = await cli(['inspect', '--nats', server.url, '--prefix', 'clitest', '--json', '--wait', '500']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const seen = JSON.parse(r.stdout) as Inspected;
    expect(seen.workers.map((w) => [w.id, w.running, w.runs.length])).toEqual([
      ['cw0', 0, 0],
      ['cw1', 0, 0],
    ]);
    expect(seen.runs).toEqual([]);
  });

  it('lists the live workers, the processes running on them and the channel depths of a run in progress', async () => {
    // A long run in the background; inspected once its first progress line says values flow.
    const run = spawn(process.execPath, ['--import', 'tsx', '--conditions=cspflow-source', MAIN, 'run', MODULE, '--runtime', 'nats', '--nats', server.url, '--prefix', 'clitest', '--discover', '300', '--json', '--interval', '100', '--', '100000000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const ended = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (/"type":"progress".*"items":[1-9]/.test(out)) resolve();
      });
      void ended.then((code) => reject(new Error(`the run ended (${code}) before it made progress: ${out}`)));
    });
    try {
      const r = await cli(['inspect', '--nats', server.url, '--prefix', 'clitest', '--json']);
      expect(r.code, r.stderr).toBe(EXIT.ok);
      const seen = JSON.parse(r.stdout) as Inspected;
      expect(seen.workers.map((w) => w.id)).toEqual(['cw0', 'cw1']);
      expect(seen.runs).toHaveLength(1);
      const [inProgress] = seen.runs;
      expect([...(inProgress?.workers ?? [])].sort()).toEqual(['cw0', 'cw1']);
      expect(inProgress?.channels.map((c) => [c.name, c.kind, c.capacity])).toEqual([
        ['numbers', 'fixed', 256],
        ['primes', 'fixed', 256],
      ]);
      for (const c of inProgress?.channels ?? []) expect(c.depth).toBeLessThanOrEqual(256);
      const running = seen.workers.flatMap((w) => w.runs.filter((x) => x.run === inProgress?.run).flatMap((x) => x.processes));
      const counts = new Map<string, number>();
      for (const p of running) counts.set(p.name, (counts.get(p.name) ?? 0) + p.count);
      expect(Object.fromEntries(counts)).toEqual({ candidates: 1, 'is-prime': 2, count: 1 });

      const text = await cli(['inspect', '--nats', server.url, '--prefix', 'clitest']);
      expect(text.code).toBe(EXIT.ok);
      expect(text.stdout).toMatch(/^NATS nats:\/\/127\.0\.0\.1:\d+, prefix clitest: 2 worker\(s\), 1 run\(s\) in progress\n/);
      expect(text.stdout).toMatch(/^worker cw0: \d+ running, 1 run\(s\), can run 3 process\(es\)$/m);
      expect(text.stdout).toMatch(/^ {4}channel numbers: \d+\/256 fixed$/m);
    } finally {
      run.kill('SIGINT');
      expect(await ended).toBe(EXIT.interrupted);
    }
  }, 60_000);

  it('a server nobody listens on: 6; refused credentials: 6, never printed; no --nats: 2', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const down = await cli(['inspect', '--nats', url]);
    expect(down.code).toBe(EXIT.unreachable);
    expect(down.stderr).toContain(`cannot connect to NATS at ${url}`);
    const refused = await cli(['inspect', '--nats', secured.url], { env: { CSPFLOW_NATS_USER: 'alice', CSPFLOW_NATS_PASS: 'wrong-pw' } });
    expect(refused.code).toBe(EXIT.unreachable);
    expect(refused.stdout + refused.stderr).not.toMatch(/wrong-pw|s3cret-pw/);
    expect((await cli(['inspect'])).code).toBe(EXIT.usage);
  });
});
