/**
 * Durable channels (issue 10) beside raw JetStream on the same private server, in one run,
 * interleaved, median of --reps. Raw, through the client calls cspflow makes
 * (src/transports/nats/jetstream-client.ts):
 * - per message: publish N messages of 16 B one at a time, each awaiting its PubAck; take them one
 *   at a time with a confirmed ack;
 * - batched: 64 values of 16 B to a message, up to 32 publishes in flight; take them in pulls of
 *   64 messages, every message acknowledged (confirmed, not awaited one by one).
 * Ours:
 * - stream: a source on main → durable → a sink on main, S values of 16 B (strings), timed from
 *   the source's first write to the sink's last value (stored → read; the last acknowledgements
 *   land just after);
 * - farm: source on main → durable → 2 `cspflow worker` processes (x + 1) → durable → sink on
 *   main, F tiny tasks, timed from the source's first write to the sink's last value.
 * Start-up, discovery and stream creation are excluded from every timing.
 *
 *   npx tsx --conditions=cspflow-source bench/durable.ts [--reps=3] [--quick] [--farm=N] [--stream=N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { network, process as proc, run, type Reader, type Writer } from '../src/index.js';
import { nats } from '../src/nats/index.js';
import { startNatsServer } from '../src/testing/nats-server.js';
import { encodeBatch } from '../src/transports/nats/durable-batch.js';
import { durableStore, type DurableStore, type HeldMessage } from '../src/transports/nats/jetstream-client.js';
import { connectBus, type NatsBus } from '../src/transports/nats/nats-client.js';
import { durableInc } from './durable-procs.js';

const args = globalThis.process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string, fallback: number): number => Number(new RegExp(`^--${name}=(\\d+)$`).exec(args.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[1] ?? fallback);
const reps = flag('reps', quick ? 1 : 3);
/** Raw per-message count. */
const N = quick ? 500 : 3_000;
/** Raw batched values. */
const B = quick ? 64_000 : 640_000;
const S = flag('stream', quick ? 20_000 : 400_000);
const F = flag('farm', quick ? 20_000 : 200_000);
const BUFFER = 1 << 16;
const timers = {
  setTimer(ms: number, fire: () => void): () => void {
    const t = setTimeout(fire, ms);
    return () => clearTimeout(t);
  },
};
const payload = new Uint8Array(16).fill(120);
let streams = 0;

async function rawStream(store: DurableStore, max: number): Promise<{ stream: string; subject: string }> {
  const i = streams++;
  const stream = `RAW_${i}`;
  const subject = `raw.${i}`;
  await store.ensureStream({ name: stream, subject, maxMsgs: max, replicas: 1, duplicateWindowMs: 120_000 });
  await store.ensureConsumer({ stream, durable: 'c', ackWaitMs: 30_000, maxDeliver: 5 });
  return { stream, subject };
}

async function rawPerMessage(store: DurableStore): Promise<{ publish: number; consume: number }> {
  const { stream, subject } = await rawStream(store, N + 10);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await store.publish(subject, payload, `m${i}`, stream, 5_000);
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

async function rawBatched(store: DurableStore): Promise<{ publish: number; consume: number }> {
  const { stream, subject } = await rawStream(store, B);
  const data = encodeBatch(Array.from({ length: 64 }, () => payload));
  const messages = B / 64;
  let t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < messages; i++) {
    while (inFlight.size >= 32) await Promise.race(inFlight);
    const p = store.publish(subject, data, `b${i}`, stream, 5_000).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const publish = B / ((performance.now() - t0) / 1_000);
  t0 = performance.now();
  const acks: Promise<void>[] = [];
  let got = 0;
  while (got < messages) {
    const batch: HeldMessage[] = [];
    await store.fetch(stream, 'c', 64, 1_000, (m) => batch.push(m));
    for (const m of batch) acks.push(m.ack());
    got += batch.length;
  }
  await Promise.all(acks);
  const consume = B / ((performance.now() - t0) / 1_000);
  await store.deleteStream(stream);
  return { publish, consume };
}


/** Reads `input` to its end in batches; `atLast()` when the n-th value arrives; throws unless exactly n came. */
async function countAll(input: Reader<unknown>, n: number, atLast: () => void): Promise<void> {
  let got = 0;
  for (;;) {
    const vs = await input.readMany(64).catch(() => null);
    if (vs === null) break;
    got += vs.length;
    if (got === n) atLast();
  }
  if (got !== n) throw new Error(`the sink got ${got} values, not ${n}`);
}

async function oursStream(url: string, n: number): Promise<number> {
  let start = 0;
  let last = 0;
  const source = proc('bench-durable-stream-source', async (out: Writer<string>) => {
    start = performance.now();
    for (let i = 0; i < n; i++) await out.write(String(i).padStart(14, '0'));
  });
  const sink = proc('bench-durable-stream-sink', async (input: Reader<string>) => {
    await countAll(input, n, () => (last = performance.now()));
  });
  const net = network((net) => {
    const values = net.channel<string>('values', { buffer: BUFFER, durable: true });
    net.spawn(source(values.writer()), { place: 'main' });
    net.spawn(sink(values.reader()), { place: 'main' });
  });
  await run(net, { runtime: nats({ servers: url, prefix: 'benchd', discoverMs: 300 }) });
  return n / ((last - start) / 1_000);
}

async function oursFarm(url: string, n: number): Promise<number> {
  let start = 0;
  let last = 0;
  const source = proc('bench-durable-source', async (out: Writer<number>) => {
    start = performance.now();
    for (let i = 0; i < n; i++) await out.write(i);
  });
  const sink = proc('bench-durable-sink', async (input: Reader<number>) => {
    await countAll(input, n, () => (last = performance.now()));
  });
  const net = network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: BUFFER, durable: true });
    const results = net.channel<number>('results', { buffer: BUFFER, durable: true });
    net.spawn(source(tasks.writer()), { place: 'main' });
    net.spawn(durableInc(tasks.reader(), results.writer()), { replicas: 2 });
    net.spawn(sink(results.reader()), { place: 'main' });
  });
  await run(net, { runtime: nats({ servers: url, prefix: 'benchd', discoverMs: 300 }) });
  return n / ((last - start) / 1_000);
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
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

const server = await startNatsServer({ jetstream: true });
const workers = startWorkers(server.url, 2);
try {
  const bus = await connectBus({ servers: server.url });
  const store = durableStore(bus, timers);
  await waitForWorkers(bus, 2);
  await oursFarm(server.url, Math.min(F, 5_000)); // warm-up
  const samples = { publish: [] as number[], consume: [] as number[], bPublish: [] as number[], bConsume: [] as number[], stream: [] as number[], farm: [] as number[] };
  const loads: number[] = [];
  for (let r = 0; r < reps; r++) {
    loads.push(loadavg()[0] as number);
    const pm = await rawPerMessage(store);
    samples.publish.push(pm.publish);
    samples.consume.push(pm.consume);
    const bt = await rawBatched(store);
    samples.bPublish.push(bt.publish);
    samples.bConsume.push(bt.consume);
    samples.stream.push(await oursStream(server.url, S));
    samples.farm.push(await oursFarm(server.url, F));
    console.error(`rep ${r + 1}/${reps}: stream ${fmt(samples.stream.at(-1) as number)}/s, farm ${fmt(samples.farm.at(-1) as number)}/s`);
  }
  await bus.close();
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<keyof typeof samples, number>;
  console.log(`Node ${globalThis.process.version}, nats-server (private, JetStream, file store, one replica), nproc ${cpus().length}, load average ${loads.map((l) => l.toFixed(1)).join('/')} at the reps' starts; median of ${reps}`);
  console.log(`raw per message: ${N} messages of 16 B; raw batched: ${B} values of 16 B, 64 to a message; ours: stream ${S} values of 16 B, farm ${F} tasks`);
  console.log('| case | median | vs raw batched consume |');
  console.log('|---|---|---|');
  const row = (name: string, x: number, unit: string): void => console.log(`| ${name} | ${fmt(x)} ${unit}/s | ${(x / m.bConsume).toFixed(2)}x |`);
  row('raw JetStream: publish one message per value, each awaiting its PubAck', m.publish, 'values');
  row('raw JetStream: take one message + confirmed ack', m.consume, 'values');
  row('raw JetStream: publish 64 values a message, 32 in flight', m.bPublish, 'values');
  row('raw JetStream: pull 64 messages of 64 values, confirmed acks', m.bConsume, 'values');
  row('cspflow durable stream: source → durable → sink, values stored → read', m.stream, 'values');
  row('cspflow durable farm: source → durable → 2 `cspflow worker` (x + 1) → durable → sink', m.farm, 'tasks');
} finally {
  for (const w of workers) w.kill('SIGKILL');
  await server.dispose();
}
