/**
 * Durable channels (issue 10) beside raw JetStream on the same private server, in one run,
 * interleaved, median of --reps. Raw: one connection publishes N values one at a time, each
 * awaiting its PubAck, then one takes them one at a time with a confirmed ack (the same client
 * calls cspflow makes, through src/transports/nats/jetstream-client.ts). Ours: a farm — source on
 * main → durable → 2 `cspflow worker` processes (x + 1) → durable → sink on main — timed from the
 * first value at the sink to the last (start-up, discovery and stream creation excluded).
 *
 *   npx tsx --conditions=cspflow-source bench/durable.ts [--reps=3] [--quick]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { network, process as proc, run, type Reader, type Writer } from '../src/index.js';
import { nats } from '../src/nats/index.js';
import { startNatsServer } from '../src/testing/nats-server.js';
import { durableStore } from '../src/transports/nats/jetstream-client.js';
import { connectBus, type NatsBus } from '../src/transports/nats/nats-client.js';
import { durableInc } from './durable-procs.js';

const args = globalThis.process.argv.slice(2);
const quick = args.includes('--quick');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 1 : 3));
const N = quick ? 500 : 3_000;
const timers = {
  setTimer(ms: number, fire: () => void): () => void {
    const t = setTimeout(fire, ms);
    return () => clearTimeout(t);
  },
};

async function raw(bus: NatsBus, rep: number): Promise<{ publish: number; consume: number }> {
  const store = durableStore(bus, timers);
  const stream = `RAW_${rep}`;
  await store.ensureStream({ name: stream, subject: `raw.${rep}`, maxMsgs: N + 10, replicas: 1, duplicateWindowMs: 120_000 });
  await store.ensureConsumer({ stream, durable: 'c', ackWaitMs: 5_000, maxDeliver: 5 });
  const payload = new Uint8Array(16);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await store.publish(`raw.${rep}`, payload, `m${i}`, stream, 5_000);
  const publish = N / ((performance.now() - t0) / 1_000);
  t0 = performance.now();
  for (let got = 0; got < N; ) {
    const m = await store.next(stream, 'c', 1_000);
    if (m === null) continue;
    await m.ack();
    got++;
  }
  const consume = N / ((performance.now() - t0) / 1_000);
  await store.deleteStream(stream);
  return { publish, consume };
}

async function ours(url: string): Promise<number> {
  let first = 0;
  let last = 0;
  const source = proc('bench-durable-source', async (out: Writer<number>) => {
    for (let i = 0; i < N; i++) await out.write(i);
  });
  const sink = proc('bench-durable-sink', async (input: Reader<number>) => {
    let got = 0;
    for await (const v of input) {
      void v;
      if (got++ === 0) first = performance.now();
    }
    last = performance.now();
    if (got !== N) throw new Error(`the sink got ${got} values, not ${N}`);
  });
  const net = network((n) => {
    const tasks = n.channel<number>('tasks', { buffer: 1_024, durable: true });
    const results = n.channel<number>('results', { buffer: 1_024, durable: true });
    n.spawn(source(tasks.writer()), { place: 'main' });
    n.spawn(durableInc(tasks.reader(), results.writer()), { replicas: 2 });
    n.spawn(sink(results.reader()), { place: 'main' });
  });
  await run(net, { runtime: nats({ servers: url, prefix: 'benchd', discoverMs: 300 }) });
  return (N - 1) / ((last - first) / 1_000);
}

function startWorkers(url: string, count: number): ChildProcess[] {
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const module = fileURLToPath(new URL('./durable-procs.ts', import.meta.url));
  return Array.from({ length: count }, (_, i) =>
    spawn(globalThis.process.execPath, ['--import', 'tsx', '--conditions=cspflow-source', cli, 'worker', '--nats', url, '--module', module, '--name', `benchd${i}`, '--prefix', 'benchd'], { stdio: 'ignore' }),
  );
}

async function waitForWorkers(bus: NatsBus, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const answers = await bus.gather('benchd.discover', new TextEncoder().encode('{"v":1}'), { maxWaitMs: 300, stallMs: 50 });
    if (answers.length >= count) return;
  }
  throw new Error('the bench workers did not come up');
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const server = await startNatsServer({ jetstream: true });
const workers = startWorkers(server.url, 2);
try {
  const bus = await connectBus({ servers: server.url });
  await waitForWorkers(bus, 2);
  await ours(server.url); // warm-up
  const samples = { publish: [] as number[], consume: [] as number[], farm: [] as number[] };
  for (let r = 0; r < reps; r++) {
    const rw = await raw(bus, r);
    samples.publish.push(rw.publish);
    samples.consume.push(rw.consume);
    samples.farm.push(await ours(server.url));
  }
  await bus.close();
  const p = median(samples.publish);
  const c = median(samples.consume);
  const f = median(samples.farm);
  console.log(`Node ${globalThis.process.version}, nats-server (private, JetStream, file store), nproc ${cpus().length}; ${N} values of 16 B; median of ${reps}`);
  console.log('| case | median | vs raw publish |');
  console.log('|---|---|---|');
  console.log(`| raw JetStream: publish, each awaiting its PubAck | ${p.toFixed(0)} values/s | 1.00x |`);
  console.log(`| raw JetStream: take one + confirmed ack | ${c.toFixed(0)} values/s | ${(c / p).toFixed(2)}x |`);
  console.log(`| cspflow durable farm (2 hops, 2 worker processes), tasks/s | ${f.toFixed(0)} tasks/s | ${(f / p).toFixed(2)}x |`);
} finally {
  for (const w of workers) w.kill('SIGKILL');
  await server.dispose();
}
