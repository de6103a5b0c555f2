/**
 * NATS benchmark (issue 9): cspflow over NATS beside raw nats.js on the same private server, in
 * one run, interleaved, after a warm-up repetition. Raw: publisher and subscriber are two
 * connections in this process; request/reply likewise. cspflow: this process is the runner; two
 * `cspflow worker` child processes run the placed processes (start-up and discovery excluded: each
 * clock starts at the first value). Every measurement moves at least ~1 s of work. The futures
 * rows run a cspflow/futures pool on the same two workers (started once and kept, as a user keeps
 * a pool): `map` of tiny tasks, naive submissions, and one task at a time.
 *
 *   npx tsx --conditions=cspflow-source bench/nats.ts [--reps=5] [--quick] [--only=futures,round trip]
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixed, network, process as proc, run, type Reader, type Writer } from '../src/index.js';
import { futures, type Pool } from '../src/futures/index.js';
import { nats } from '../src/nats/index.js';
import { startNatsServer, type NatsServer } from '../src/testing/nats-server.js';
import { connectBus, type NatsBus } from '../src/transports/nats/nats-client.js';
import { fib, inc } from './futures-tasks.js';
import { blobSource, farmWorker, ponger } from './nats-procs.js';
import { eachBatch } from './each-batch.js';

const args = globalThis.process.argv.slice(2);
const quick = args.includes('--quick');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 1 : 5));
const scale = quick ? 10 : 1;
/** --only=futures,round trip: run only these groups (and the cases they are compared with). */
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

interface Timed {
  readonly ms: number;
  readonly n: number;
}

// ---- raw nats.js -------------------------------------------------------------------------------

async function rawStream(pub: NatsBus, sub: NatsBus, n: number, size: number): Promise<Timed> {
  const subject = `raw.stream.${size}`;
  let got = 0;
  let t0 = 0;
  const done = new Promise<number>((resolve) => {
    const s = sub.subscribe(subject, () => {
      if (got === 0) t0 = performance.now();
      if (++got === n) {
        s.unsubscribe();
        resolve(performance.now());
      }
    });
  });
  await sub.flush();
  const payload = new Uint8Array(size);
  for (let i = 0; i < n; i++) {
    pub.publish(subject, payload);
    if ((i & 4095) === 4095) await pub.flush();
  }
  const t1 = await done;
  return { ms: t1 - t0, n: n - 1 };
}

/** Request/reply with the responder in another process (bench/nats-echo.ts), as a worker is. */
async function rawRequest(client: NatsBus, n: number): Promise<Timed> {
  const payload = new Uint8Array(8);
  for (let i = 0; i < 100; i++) await client.request('raw.echo', payload, 5_000);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await client.request('raw.echo', payload, 5_000);
  return { ms: performance.now() - t0, n };
}

// ---- cspflow over NATS -------------------------------------------------------------------------

function runtime(url: string, workers = 1) {
  return nats({ servers: url, prefix: 'bench', discoverMs: 300, workers });
}

/** A sink on the runner that times from its first value to the end of the stream. */
function timedSink(expect: number, onDone: (t: Timed) => void) {
  return proc('bench-nats-sink', async (input: Reader<Uint8Array>) => {
    let count = 0;
    let t0 = 0;
    await eachBatch(input, (values) => {
      if (count === 0) t0 = performance.now();
      count += values.length;
    });
    if (count !== expect) throw new Error(`stream: got ${count} values, expected ${expect}`);
    onDone({ ms: performance.now() - t0, n: count - 1 });
  });
}

async function oursStream(url: string, n: number, size: number, batch: number): Promise<Timed> {
  let timed: Timed = { ms: 0, n: 0 };
  const net = network((net) => {
    const c = net.channel<Uint8Array>('stream', { buffer: fixed(1 << 16) });
    net.spawn(blobSource(n, size, batch, c.writer()));
    net.spawn(timedSink(n, (t) => (timed = t))(c.reader()), { place: 'main' });
  });
  await run(net, { runtime: runtime(url) });
  return timed;
}

/** Rendezvous writes from a worker to a reader here: each write waits for the reader to take it. */
async function oursWriteRoundTrip(url: string, n: number): Promise<Timed> {
  let timed: Timed = { ms: 0, n: 0 };
  const net = network((net) => {
    const c = net.channel<Uint8Array>('rendezvous');
    net.spawn(blobSource(n + 100, 8, 1, c.writer()));
    net.spawn(
      proc('bench-nats-taker', async (input: Reader<Uint8Array>) => {
        for (let i = 0; i < 100; i++) await input.read();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await input.read();
        timed = { ms: performance.now() - t0, n };
      })(c.reader()),
      { place: 'main' },
    );
  });
  await run(net, { runtime: runtime(url) });
  return timed;
}

async function oursPingPong(url: string, n: number, home: 'main' | 'reader'): Promise<Timed> {
  let timed: Timed = { ms: 0, n: 0 };
  const pinger = proc('bench-nats-pinger', async (pings: Writer<number>, pongs: Reader<number>) => {
    for (let i = 0; i < 100; i++) {
      await pings.write(0);
      await pongs.read();
    }
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await pings.write(i);
      await pongs.read();
    }
    timed = { ms: performance.now() - t0, n };
  });
  const net = network((net) => {
    const pings = net.channel<number>('pings', { home });
    const pongs = net.channel<number>('pongs');
    net.spawn(ponger(pings.reader(), pongs.writer()));
    net.spawn(pinger(pings.writer(), pongs.reader()), { place: 'main' });
  });
  await run(net, { runtime: runtime(url) });
  return timed;
}

async function oursFarm(url: string, n: number): Promise<Timed> {
  let timed: Timed = { ms: 0, n };
  const farmer = proc('bench-nats-farmer', async (tasks: Writer<number>, results: Reader<number>) => {
    const t0 = performance.now();
    const feed = (async () => {
      for (let i = 0; i < n; i += 1024) {
        const chunk = new Array<number>(Math.min(1024, n - i));
        for (let j = 0; j < chunk.length; j++) chunk[j] = i + j;
        await tasks.writeMany(chunk);
      }
      tasks.retire();
    })();
    let got = 0;
    let sum = 0;
    while (got < n) {
      const batch = await results.readMany(1 << 16);
      got += batch.length;
      for (const v of batch) sum += v;
    }
    await feed;
    if (sum !== n * n) throw new Error(`farm: sum ${sum}, expected ${n * n}`);
    timed = { ms: performance.now() - t0, n };
  });
  const net = network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: fixed(8192) });
    const results = net.channel<number>('results', { buffer: fixed(8192) });
    net.spawn(farmWorker(tasks.reader(), results.writer()), { replicas: 2 });
    net.spawn(farmer(tasks.writer(), results.reader()), { place: 'main' });
  });
  await run(net, { runtime: runtime(url, 2) });
  return timed;
}

// ---- cspflow/futures over NATS -------------------------------------------------------------------

const sumPlusOne = (n: number): number => (n * (n - 1)) / 2 + n;
const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

async function futuresMap(pool: Pool, xs: readonly number[]): Promise<Timed> {
  const t0 = performance.now();
  const got = total(await pool.map(inc, xs));
  const ms = performance.now() - t0;
  if (got !== sumPlusOne(xs.length)) throw new Error(`futures map: got ${got}, expected ${sumPlusOne(xs.length)}`);
  return { ms, n: xs.length };
}

async function futuresNaive(pool: Pool, xs: readonly number[]): Promise<Timed> {
  const t0 = performance.now();
  const got = total(await Promise.all(xs.map((x) => pool.submit(inc, x))));
  const ms = performance.now() - t0;
  if (got !== sumPlusOne(xs.length)) throw new Error(`futures naive submit: got ${got}, expected ${sumPlusOne(xs.length)}`);
  return { ms, n: xs.length };
}

async function futuresRoundTrip(pool: Pool, n: number): Promise<Timed> {
  for (let i = 0; i < 100; i++) await pool.submit(inc, i);
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += await pool.submit(inc, i);
  const ms = performance.now() - t0;
  if (s !== sumPlusOne(n)) throw new Error(`futures round trip: got ${s}, expected ${sumPlusOne(n)}`);
  return { ms, n };
}

async function futuresFib(pool: Pool, n: number): Promise<Timed> {
  const want = [0, 1];
  for (let i = 2; i <= n; i++) want.push((want[i - 1] as number) + (want[i - 2] as number));
  const t0 = performance.now();
  const got = await pool.submit(fib, n);
  const ms = performance.now() - t0;
  if (got !== want[n]) throw new Error(`futures fib: got ${got}, expected ${want[n]}`);
  return { ms, n: 1 };
}

// ---- the run -----------------------------------------------------------------------------------

function startWorkers(url: string, count: number): ChildProcess[] {
  const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const modules = ['./nats-procs.ts', './futures-tasks.ts'].map((m) => fileURLToPath(new URL(m, import.meta.url)));
  return Array.from({ length: count }, (_, i) =>
    spawn(globalThis.process.execPath, ['--import', 'tsx', '--conditions=cspflow-source', cli, 'worker', '--nats', url, '--name', `bench${i}`, '--prefix', 'bench', '--module', ...modules], { stdio: 'ignore' }),
  );
}

async function waitForWorkers(bus: NatsBus, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const answers = await bus.gather('bench.discover', new TextEncoder().encode('{"v":1}'), { maxWaitMs: 300, stallMs: 50 });
    if (answers.length >= count) return;
  }
  throw new Error('the bench workers did not come up');
}

interface Case {
  readonly group: string;
  readonly name: string;
  readonly unit: 'values/s' | 'µs/round trip' | 'tasks/s' | 'ms';
  readonly baseline: string;
  readonly run: () => Promise<Timed>;
}

const server: NatsServer = await startNatsServer();
const [pub, sub] = [await connectBus({ servers: server.url }), await connectBus({ servers: server.url })];
const children = startWorkers(server.url, 2);
const echo = spawn(globalThis.process.execPath, ['--import', 'tsx', '--conditions=cspflow-source', fileURLToPath(new URL('./nats-echo.ts', import.meta.url)), server.url], { stdio: ['ignore', 'pipe', 'ignore'] });
await new Promise<void>((resolve) => echo.stdout?.once('data', () => resolve()));
try {
  await waitForWorkers(pub, 2);
  const N16 = 2_000_000 / scale;
  const N1K = 400_000 / scale;
  const NSINGLE = 400_000 / scale;
  const NPING = 3_000 / scale;
  const NFARM = 1_000_000 / scale;
  const NSMALL = 10_000 / scale;
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  const [small, large] = [range(NSMALL), range(NFARM)];
  const pool = futures({ runtime: runtime(server.url, 2), tasks: [inc, fib], workers: 2 });
  // Without `workers`: the pool sizes its farm itself (before: 64 farm workers per task).
  const sized = futures({ runtime: nats({ servers: server.url, prefix: 'bench', discoverMs: 300 }), tasks: [inc] });
  const FIB = quick ? 10 : 15;
  const all: Case[] = [
    { group: 'stream 16 B', name: 'raw publish → subscribe', unit: 'values/s', baseline: 'raw publish → subscribe', run: () => rawStream(pub, sub, N16, 16) },
    { group: 'stream 16 B', name: 'cspflow writeMany (1024)', unit: 'values/s', baseline: 'raw publish → subscribe', run: () => oursStream(server.url, N16, 16, 1024) },
    { group: 'stream 16 B', name: 'cspflow one write per value', unit: 'values/s', baseline: 'raw publish → subscribe', run: () => oursStream(server.url, NSINGLE, 16, 1) },
    { group: 'stream 1 KiB', name: 'raw publish → subscribe 1 KiB', unit: 'values/s', baseline: 'raw publish → subscribe 1 KiB', run: () => rawStream(pub, sub, N1K, 1024) },
    { group: 'stream 1 KiB', name: 'cspflow writeMany (64) 1 KiB', unit: 'values/s', baseline: 'raw publish → subscribe 1 KiB', run: () => oursStream(server.url, N1K, 1024, 64) },
    { group: 'round trip', name: 'raw request/reply (responder in another process)', unit: 'µs/round trip', baseline: 'raw request/reply (responder in another process)', run: () => rawRequest(pub, NPING) },
    { group: 'round trip', name: 'cspflow rendezvous write (worker → reader here)', unit: 'µs/round trip', baseline: 'raw request/reply (responder in another process)', run: () => oursWriteRoundTrip(server.url, NPING) },
    { group: 'round trip', name: 'cspflow rendezvous ping-pong (channels on main)', unit: 'µs/round trip', baseline: 'raw request/reply (responder in another process)', run: () => oursPingPong(server.url, NPING, 'main') },
    { group: 'round trip', name: "cspflow ping-pong, home: 'reader'", unit: 'µs/round trip', baseline: 'raw request/reply (responder in another process)', run: () => oursPingPong(server.url, NPING, 'reader') },
    { group: 'farm', name: 'cspflow farm, 2 worker processes', unit: 'tasks/s', baseline: 'cspflow farm, 2 worker processes', run: () => oursFarm(server.url, NFARM) },
    { group: 'futures', name: `futures map ${NSMALL.toLocaleString('en-US')}`, unit: 'tasks/s', baseline: 'cspflow farm, 2 worker processes', run: () => futuresMap(pool, small) },
    { group: 'futures', name: `futures map ${NFARM.toLocaleString('en-US')}`, unit: 'tasks/s', baseline: 'cspflow farm, 2 worker processes', run: () => futuresMap(pool, large) },
    { group: 'futures', name: `futures naive submit ${NFARM.toLocaleString('en-US')}`, unit: 'tasks/s', baseline: 'cspflow farm, 2 worker processes', run: () => futuresNaive(pool, large) },
    { group: 'futures', name: `futures map ${NFARM.toLocaleString('en-US')}, pool without \`workers\``, unit: 'tasks/s', baseline: 'cspflow farm, 2 worker processes', run: () => futuresMap(sized, large) },
    { group: 'futures', name: 'futures round trip (await pool.submit, one at a time)', unit: 'µs/round trip', baseline: 'raw request/reply (responder in another process)', run: () => futuresRoundTrip(pool, NPING) },
    { group: 'futures', name: `futures nested fib(${FIB}) (pool.submit; each call submits two)`, unit: 'ms', baseline: `futures nested fib(${FIB}) (pool.submit; each call submits two)`, run: () => futuresFib(pool, FIB) },
  ];
  const chosen = all.filter((c) => only === undefined || only.includes(c.group));
  const cases = all.filter((c) => chosen.includes(c) || chosen.some((k) => k.baseline === c.name));
  const samples = new Map<Case, number[]>(cases.map((c) => [c, []]));
  for (let rep = -1; rep < reps; rep++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + Math.max(rep, 0)) % cases.length] as Case;
      const t = await c.run();
      const value = c.unit === 'µs/round trip' ? (t.ms * 1000) / t.n : c.unit === 'ms' ? t.ms : t.n / (t.ms / 1000);
      if (rep >= 0) samples.get(c)?.push(value);
    }
    globalThis.process.stderr.write(rep < 0 ? 'warm-up done\n' : `repetition ${rep + 1}/${reps} done\n`);
  }
  const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  const fmt = (v: number, unit: Case['unit']): string => (unit === 'µs/round trip' || unit === 'ms' ? v.toFixed(0) : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`);
  const version = execSync('nats-server --version', { encoding: 'utf8' }).trim();
  console.log(`Node ${globalThis.process.version}, ${version}, nproc ${cpus().length}, ${cpus()[0]?.model ?? '?'}; median of ${reps}`);
  console.log('| group | case | median | min–max | vs |');
  console.log('|---|---|--:|--:|--:|');
  for (const c of cases) {
    const xs = samples.get(c) as number[];
    const m = median(xs);
    const base = median(samples.get(cases.find((b) => b.name === c.baseline) as Case) as number[]);
    const ratio = c.unit === 'µs/round trip' ? m / base : m / base;
    console.log(`| ${c.group} | ${c.name} | ${fmt(m, c.unit)} ${c.unit} | ${fmt(Math.min(...xs), c.unit)}–${fmt(Math.max(...xs), c.unit)} | ${ratio.toFixed(2)}× ${c.baseline} |`);
  }
  await Promise.all([pool.close(), sized.close()]);
} finally {
  for (const child of children) child.kill('SIGTERM');
  echo.kill('SIGTERM');
  await pub.close();
  await sub.close();
  await server.dispose();
}
