import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
import { startCliWorker, type CliWorker } from '../nats/cli-worker.js';
import { runExample } from './run-example.js';

let server: NatsServer;
let worker: CliWorker;
beforeAll(async () => {
  server = await startNatsServer();
  worker = startCliWorker(['--nats', server.url, '--module', fileURLToPath(new URL('../../examples/06-network.ts', import.meta.url))]);
  await worker.ready;
});
afterAll(async () => {
  worker.child.kill('SIGTERM');
  await worker.exited;
  await server.dispose();
});

test('19: the network of example 06 runs on NATS, its processes on a worker started by the CLI, and prints the same result', async () => {
  expect(await runExample('19-same-network-on-nats.ts', [], { NATS_URL: server.url })).toBe('nats: sum of squares 1..1000 = 333833500 (1000 values)\n');
});
