/**
 * Thread benchmark (issue 3): cspflow's thread runtime beside what Node gives between threads and
 * beside three worker pools, all in this one process, interleaved (each repetition runs every case
 * once), after a warm-up repetition that is not recorded. Every case checks its result.
 *
 *   npx tsx --conditions=cspflow-source bench/threads.ts [--reps=5] [--quick] [--write] [--group=move]
 *
 * --group runs one scenario's rows only, or several (--group=ping-pong,busy,stream; not with --write).
 * The busy scenario runs ping-pongs while a third thread spins (a machine with no idle core).
 * --write puts the table into docs/benchmarks.md between <!-- threads:begin --> and
 * <!-- threads:end --> (added at the end of the file if absent); --quick is for checking the harness.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { oursFarm, oursFarmSingle, oursPingPong, oursStream, oursWorkerStream } from './threads-ours.js';
import { oursBuffers, rawBuffers } from './threads-move.js';
import { piscinaBatches, poolTasks, rawAtomicsPingPong, rawPingPong, rawStream, sabRing, whileBusy, type Timed } from './threads-peers.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = args.includes('--write');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 1 : 5));
if (quick && write) throw new Error('--quick figures are not worth writing down');
const group = /^--group=(.+)$/.exec(args.find((a) => a.startsWith('--group=')) ?? '')?.[1];
if (group !== undefined && write) throw new Error('--group runs part of the table: not written down');
const scale = quick ? 10 : 1;

const STREAM_N = 1_000_000 / scale;
const PING_N = 20_000 / scale;
const FARM_N = 100_000 / scale;
const POOL_N = 100_000 / scale;
/** The farm with one task per message costs a round trip per task on today's proxies: fewer tasks. */
const FARM_SINGLE_N = 20_000 / scale;
/** Buffers of 8 MiB sent one at a time (move or copy). */
const MOVE_N = Math.max(4, 40 / scale);
const MOVE_BYTES = 8 * 1024 * 1024;

type Unit = 'values/s' | 'µs/round trip' | 'tasks/s' | 'ms/buffer';
interface Case {
  readonly group: 'stream' | 'ping-pong' | 'busy' | 'farm' | 'move' | 'routes';
  readonly name: string;
  readonly note: string;
  readonly n: number;
  readonly unit: Unit;
  readonly run: () => Promise<Timed>;
}

const streamSum = (n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += i & 1023;
  return s;
};

const ALL_CASES: Case[] = [
  { group: 'stream', name: 'postMessage per value', note: 'raw MessagePort, one message per number', n: STREAM_N, unit: 'values/s', run: () => rawStream(STREAM_N, 1) },
  { group: 'stream', name: 'postMessage arrays of 1024', note: 'raw MessagePort, hand-made batches', n: STREAM_N, unit: 'values/s', run: () => rawStream(STREAM_N, 1024) },
  { group: 'stream', name: 'SharedArrayBuffer ring', note: '64K int32 slots, both sides spin', n: STREAM_N, unit: 'values/s', run: () => sabRing(STREAM_N) },
  { group: 'stream', name: 'cspflow writeMany/readMany', note: 'worker → main, fixed(65536), batches of 1024', n: STREAM_N, unit: 'values/s', run: () => oursStream(STREAM_N, true) },
  { group: 'stream', name: 'cspflow write/readMany', note: 'worker → main, fixed(65536), one write per value', n: STREAM_N, unit: 'values/s', run: () => oursStream(STREAM_N, false) },
  { group: 'routes', name: 'cspflow worker → worker, via main', note: "writer in worker A, reader in worker B, fixed(65536), batches of 1024, `home: 'main'`: every value crosses main", n: STREAM_N, unit: 'values/s', run: () => oursWorkerStream(STREAM_N, 2, 'main') },
  { group: 'routes', name: 'cspflow worker → worker, direct route', note: 'the same, default placement: the channel lives with its reader in B, values go A → B over a direct route', n: STREAM_N, unit: 'values/s', run: () => oursWorkerStream(STREAM_N, 2) },
  { group: 'routes', name: 'cspflow worker → worker, one worker', note: 'the same with both in one worker: the channel lives there (default placement)', n: STREAM_N, unit: 'values/s', run: () => oursWorkerStream(STREAM_N, 1) },
  { group: 'ping-pong', name: 'MessagePort ping-pong', note: 'raw, one number each way', n: PING_N, unit: 'µs/round trip', run: () => rawPingPong(PING_N) },
  { group: 'ping-pong', name: 'Atomics.wait ping-pong', note: 'raw, a SharedArrayBuffer cell each way, each side blocked in Atomics.wait', n: PING_N, unit: 'µs/round trip', run: () => rawAtomicsPingPong(PING_N) },
  { group: 'ping-pong', name: 'cspflow rendezvous ping-pong', note: 'main ⇄ worker, two rendezvous channels living on main', n: PING_N, unit: 'µs/round trip', run: () => oursPingPong(PING_N) },
  { group: 'ping-pong', name: 'cspflow ping-pong, default placement', note: 'home left out: pings live with their reader in the worker, pongs on main', n: PING_N, unit: 'µs/round trip', run: () => oursPingPong(PING_N, 'default') },
  { group: 'ping-pong', name: "cspflow ping-pong, home: 'reader'", note: 'each channel lives with its reader (pings in the worker)', n: PING_N, unit: 'µs/round trip', run: () => oursPingPong(PING_N, 'reader') },
  { group: 'busy', name: 'MessagePort ping-pong, busy', note: 'raw, as above, while a third thread spins', n: PING_N, unit: 'µs/round trip', run: () => whileBusy(() => rawPingPong(PING_N)) },
  { group: 'busy', name: 'Atomics.wait ping-pong, busy', note: 'raw, as above, while a third thread spins', n: PING_N, unit: 'µs/round trip', run: () => whileBusy(() => rawAtomicsPingPong(PING_N)) },
  { group: 'busy', name: 'cspflow ping-pong, default placement, busy', note: 'as above, while a third thread spins', n: PING_N, unit: 'µs/round trip', run: () => whileBusy(() => oursPingPong(PING_N, 'default')) },
  { group: 'farm', name: 'piscina', note: '2 threads, n run() calls at once', n: POOL_N, unit: 'tasks/s', run: () => poolTasks('piscina', POOL_N) },
  { group: 'farm', name: 'tinypool', note: '2 threads, n run() calls at once', n: POOL_N, unit: 'tasks/s', run: () => poolTasks('tinypool', POOL_N) },
  { group: 'farm', name: 'workerpool', note: '2 threads, n exec() calls at once', n: POOL_N, unit: 'tasks/s', run: () => poolTasks('workerpool', POOL_N) },
  { group: 'farm', name: 'piscina, batches of 1024', note: '2 threads, n/1024 run() calls at once, each an array of 1024 tasks', n: POOL_N, unit: 'tasks/s', run: () => piscinaBatches(POOL_N, 1024) },
  { group: 'farm', name: 'cspflow farm', note: 'one fixed(4096) channel to 2 worker replicas (readMany 1024), results back', n: FARM_N, unit: 'tasks/s', run: () => oursFarm(FARM_N) },
  { group: 'farm', name: 'cspflow farm, one task per message', note: 'the same, each task one write, the workers for await, one write per result', n: FARM_SINGLE_N, unit: 'tasks/s', run: () => oursFarmSingle(FARM_SINGLE_N) },
  { group: 'move', name: 'postMessage, cloned', note: 'raw, main → worker, one 8 MiB Uint8Array per message, its length back', n: MOVE_N, unit: 'ms/buffer', run: () => rawBuffers(MOVE_N, MOVE_BYTES, false) },
  { group: 'move', name: 'postMessage, transferred', note: 'the same, the buffer in the transfer list', n: MOVE_N, unit: 'ms/buffer', run: () => rawBuffers(MOVE_N, MOVE_BYTES, true) },
  { group: 'move', name: 'cspflow write, copied', note: 'rendezvous channel main → worker process, `write(b)`, its length back', n: MOVE_N, unit: 'ms/buffer', run: () => oursBuffers(MOVE_N, MOVE_BYTES, false) },
  { group: 'move', name: 'cspflow write, moved', note: 'the same, `write(transfer(b))`', n: MOVE_N, unit: 'ms/buffer', run: () => oursBuffers(MOVE_N, MOVE_BYTES, true) },
];
const groups = group?.split(',');
const CASES = groups === undefined ? ALL_CASES : ALL_CASES.filter((c) => groups.includes(c.group));
if (CASES.length === 0) throw new Error(`--group=${group}: no such scenario`);

function expected(c: Case): number | null {
  if (c.group === 'stream' || c.group === 'routes') return streamSum(c.n);
  if (c.group === 'farm') return c.n * c.n; // Σ (2i + 1) for i < n
  if (c.group === 'move') return c.n * MOVE_BYTES;
  return null;
}

function rate(c: Case, t: Timed): number {
  if (c.unit === 'ms/buffer') return t.ms / c.n;
  return c.unit === 'µs/round trip' ? (t.ms * 1000) / c.n : c.n / (t.ms / 1000);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const samples = new Map<Case, number[]>(CASES.map((c) => [c, []]));
for (let rep = -1; rep < reps; rep++) {
  for (let k = 0; k < CASES.length; k++) {
    const c = CASES[(k + Math.max(rep, 0)) % CASES.length] as Case;
    const t = await c.run();
    const want = expected(c);
    if (want !== null && t.check !== want && !((c.group === 'stream' || c.group === 'routes') && c.name.startsWith('cspflow'))) {
      throw new Error(`${c.name}: check ${t.check}, expected ${want}`);
    }
    if (rep >= 0) samples.get(c)?.push(rate(c, t));
  }
  process.stderr.write(rep < 0 ? 'warm-up done\n' : `repetition ${rep + 1}/${reps} done\n`);
}

const fmt = (v: number, unit: Unit): string =>
  unit === 'µs/round trip' || unit === 'ms/buffer' ? v.toFixed(unit === 'ms/buffer' ? 2 : 1) : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`;

const baseline: Record<Case['group'], string> = { stream: 'postMessage per value', 'ping-pong': 'MessagePort ping-pong', busy: 'MessagePort ping-pong, busy', farm: 'piscina', move: 'postMessage, cloned', routes: 'cspflow worker → worker, via main' };
const lines = [
  `| scenario | what | how | N | median | min–max | vs ${'baseline'} |`,
  '|---|---|---|--:|--:|--:|--:|',
];
for (const c of CASES) {
  const xs = samples.get(c) as number[];
  const base = median(samples.get(CASES.find((b) => b.name === baseline[c.group]) as Case) as number[]);
  const m = median(xs);
  const ratio = c.unit === 'µs/round trip' ? m / base : m / base;
  lines.push(
    `| ${c.group} | ${c.name} | ${c.note} | ${c.n.toLocaleString('en-US')} | ${fmt(m, c.unit)} ${c.unit} | ${fmt(Math.min(...xs), c.unit)}–${fmt(Math.max(...xs), c.unit)} | ${ratio.toFixed(2)}× ${baseline[c.group]} |`,
  );
}
const table = lines.join('\n');
console.log(table);

if (write) {
  let rev = 'unknown';
  try {
    rev = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {}
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const med = (name: string): number => median(samples.get(CASES.find((c) => c.name === name) as Case) as number[]);
  const perValue = med('postMessage per value');
  const stream = med('cspflow writeMany/readMany');
  const rawPing = med('MessagePort ping-pong');
  const goals = [
    `- stream ≥ 20M values/s and ≥ 15× one postMessage per value: **${fmt(stream, 'values/s')} values/s, ${(stream / perValue).toFixed(1)}×** (one \`write\` per value: ${fmt(med('cspflow write/readMany'), 'values/s')}/s).`,
    `- rendezvous ping-pong within 1.5× raw MessagePort ping-pong: **${(med("cspflow ping-pong, home: 'reader'") / rawPing).toFixed(2)}×** with each channel living with its reader; ${(med('cspflow rendezvous ping-pong') / rawPing).toFixed(2)}× with both channels on main (\`home: 'main'\`: two round trips per exchange; the default placement now homes each channel with its reader here, as the first figure). The spin-then-wait stretch goal is not attempted.`,
    `- farm ≥ 10× piscina's tasks/s: **${(med('cspflow farm') / med('piscina')).toFixed(1)}×** (the farm workers take tasks with \`readMany(1024)\`: batching inside the channel layer, the user writes no batches).`,
    `- like with like: batched, cspflow's farm against piscina given the same batches of 1024: **${(med('cspflow farm') / med('piscina, batches of 1024')).toFixed(2)}×**; one task per message, cspflow's farm (\`write\` / \`for await\`) against piscina's one \`run()\` per task: **${(med('cspflow farm, one task per message') / med('piscina')).toFixed(2)}×**.`,
  ].join('\n');
  const body = [
    '## Threads (worker_threads)',
    '',
    '`bench/threads.ts` runs, in one process and interleaved, cspflow\'s thread runtime beside what Node gives between two threads and beside three worker pools: a **stream** of 1,000,000 small integers from a worker to the main thread; a **ping-pong** of one number over two rendezvous channels between the main thread and a worker; a **farm** of 100,000 tiny tasks (x → 2x + 1) to 2 worker threads with the results back. cspflow figures exclude worker start-up (each run warms up inside the network first). Re-run and rewrite this section with `npx tsx --conditions=cspflow-source bench/threads.ts --write`.',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx --conditions=cspflow-source bench/threads.ts --write\` at ${rev} (plus uncommitted work) — Node ${process.version}, nproc ${cpus().length}, ${cpu}.`,
    `Median of ${reps} interleaved repetitions after a warm-up; rates are higher-is-better, µs/round trip lower-is-better; the last column is the median over the baseline's median in the same scenario (for ping-pong: how many times the raw round trip).`,
    '',
    table,
    '',
    'Against the goals of issue 3:',
    goals,
  ].join('\n');
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  const BEGIN = '<!-- threads:begin -->';
  const END = '<!-- threads:end -->';
  let doc = readFileSync(file, 'utf8');
  if (!doc.includes(BEGIN)) doc = `${doc.trimEnd()}\n\n${BEGIN}\n${END}\n`;
  const before = doc.slice(0, doc.indexOf(BEGIN) + BEGIN.length);
  const after = doc.slice(doc.indexOf(END));
  writeFileSync(file, `${before}\n${body}\n${after}`);
  console.log('wrote the threads section of docs/benchmarks.md');
}
