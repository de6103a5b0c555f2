import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { countInto, lines } from '../../examples/20-durable-word-count.js';
import { startCliWorker, type CliWorker } from '../nats/cli-worker.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const example = fileURLToPath(new URL('../../examples/20-durable-word-count.ts', import.meta.url));

let server: NatsServer;
let workers: CliWorker[];
beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
  workers = ['w1', 'w2'].map((name) => startCliWorker(['--nats', server.url, '--module', example, '--name', name]));
  await Promise.all(workers.map((w) => w.ready));
});
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await server.dispose();
});

test('20: the durable word count survives kill -9 of a worker mid-run, and its totals are exact', async () => {
  const child = spawn(globalThis.process.execPath, [tsx, '--conditions=cspflow-source', 'examples/20-durable-word-count.ts'], {
    cwd: root,
    env: { ...globalThis.process.env, NATS_URL: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    if (!killed && /kill -9 a worker now/.test(err)) {
      killed = true;
      workers[0]?.child.kill('SIGKILL');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, err).toBe(0);
  expect(killed).toBe(true);
  expect((await workers[0]?.exited)?.signal).toBe('SIGKILL');
  const counts = lines(3_000).reduce(countInto, {});
  const words = Object.values(counts).reduce((a, b) => a + b, 0);
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([w, n]) => `${w} ${n}`)
    .join(', ');
  expect(out).toBe(`3000 lines, ${words} words; most frequent: ${top}\n`);
}, 120_000);
