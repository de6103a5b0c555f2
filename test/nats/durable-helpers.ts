/** Shared by the durable-channel tests: CLI workers over the durable fixtures, and a source and sink on main. */
import { fileURLToPath } from 'node:url';
import { network, process, type Network, type Reader, type Writer } from '../../src/index.js';
import { durableDouble } from '../fixtures/durable.js';
import { startCliWorker, type CliWorker } from './cli-worker.js';

export const DURABLE_FIXTURE = fileURLToPath(new URL('../fixtures/durable.ts', import.meta.url));

/** `count` CLI workers named `<name>-<i>` under `prefix` (default: `name`), started and ready. */
export async function durableWorkers(url: string | readonly string[], name: string, count: number, prefix = name): Promise<CliWorker[]> {
  const urls = typeof url === 'string' ? url : url.join(',');
  const workers = Array.from({ length: count }, (_, i) => startCliWorker(['--nats', urls, '--module', DURABLE_FIXTURE, '--name', `${name}-${i}`, '--prefix', prefix]));
  await Promise.all(workers.map((w) => w.ready));
  return workers;
}

export const source = process('durable-source', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i);
});

/** Collects every value; calls `seen(count)` after each. */
export const sink = process('durable-sink', async (input: Reader<number>, got: number[], seen: (count: number) => void) => {
  for await (const v of input) {
    got.push(v);
    seen(got.length);
  }
});

/** source → durable → `replicas` × double (on workers) → durable → sink, collecting into `got`; both channels buffer `buffer` values (default 256). */
export function doubleFarm(n: number, got: number[], seen: (count: number) => void, options: { readonly replicas?: number; readonly dieOn?: number | null; readonly ackWait?: number; readonly maxDeliver?: number; readonly buffer?: number } = {}): Network {
  const durable = { ackWait: options.ackWait ?? 2, ...(options.maxDeliver === undefined ? {} : { maxDeliver: options.maxDeliver }) };
  const buffer = options.buffer ?? 256;
  return network((net) => {
    const tasks = net.channel<number>('tasks', { buffer, durable });
    const results = net.channel<number>('results', { buffer, durable });
    net.spawn(source(n, tasks.writer()), { place: 'main' });
    net.spawn(durableDouble(tasks.reader(), results.writer(), options.dieOn ?? null), { replicas: options.replicas ?? 2 });
    net.spawn(sink(results.reader(), got, seen), { place: 'main' });
  });
}

/** The values a double farm of `n` must deliver, sorted. */
export function expectedDoubles(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i * 2);
}
