/** Example 21 as a user runs it: a private nats-server, two `cspflow worker` processes loading the task modules of examples 12 and 15, the example printing its results. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startCliWorker, type CliWorker } from '../nats/cli-worker.js';
import { runExample } from './run-example.js';

const MODULES = ['12-celery-tasks.ts', '15-fib-task.ts'].map((m) => fileURLToPath(new URL(`../../examples/${m}`, import.meta.url)));

let server: NatsServer;
let workers: CliWorker[] = [];
beforeAll(async () => {
  server = await startNatsServer();
  workers = ['ex21a', 'ex21b'].map((name) => startCliWorker(['--nats', server.url, '--name', name, '--module', ...MODULES]));
  await Promise.all(workers.map((w) => w.ready));
}, 60_000);
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await server.dispose();
});

test('21: the tasks of examples 12 and 15 run on two NATS workers started by the CLI: the same results as on threads', async () => {
  expect(await runExample('21-futures-on-nats.ts', [], { NATS_URL: server.url })).toBe(
    [
      'add(4, 4) = 8',
      'add(i, i) for i < 10 = 0 2 4 6 8 10 12 14 16 18',
      'mul(add(2, 3), 10) = 50',
      'fib over 10..15 = 55 89 144 233 377 610',
      'fib(15), nested futures on NATS = 610',
      '',
    ].join('\n'),
  );
}, 60_000);
