/**
 * The idiomatic loop on threads (issue 8): 100,000 values from a producer in one worker (one
 * `write` per value, as the README's `numbers`) through a channel living on the main thread to a
 * consumer in another worker, which reads them with `for await` — beside the same consumer
 * written with the hand-batched `readMany` loop, with a `read()` loop (one round trip per value,
 * which is what `for await` cost before read-ahead), and the `for await` network on the local runtime.
 * Interleaved repetitions after a warm-up; medians and ratios printed. Each consumer times itself
 * (first value to end of stream), so worker start-up is left out; every run checks sum and count.
 *
 *   npx tsx --conditions=cspflow-source bench/for-await.ts [--reps=5] [--n=100000] [--buffers=16,1024]
 */
import { local, network, process as csp, run, type Reader } from '../src/index.js';
import { threads } from '../src/threads/index.js';
import { consumeForAwait, consumeRead, consumeReadMany, produce } from './for-await-procs.js';
import { median } from './stats.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const reps = Number(opt('reps', '5'));
const n = Number(opt('n', '100000'));
const buffers = opt('buffers', '16,1024').split(',').map(Number);
const MODULE = new URL('./for-await-procs.ts', import.meta.url).href;

let expected = 0;
for (let i = 0; i < n; i++) expected += i & 1023;

type Consumer = typeof consumeForAwait;

interface Case {
  readonly name: string;
  readonly where: 'threads' | 'local';
  readonly consumer: Consumer;
  readonly buffer: number;
}

let got: number[] = [];
const take = csp('bench-fa-report', async (r: Reader<number[]>) => {
  got = await r.read();
});

/** One run of a case: the consumer's own time, in ms. */
async function once(c: Case): Promise<number> {
  got = [];
  const net = network((net) => {
    const raw = net.channel<number>('raw', { buffer: c.buffer });
    const result = net.channel<number[]>('result');
    net.spawn(produce(n, raw.writer()));
    net.spawn(c.consumer(raw.reader(), result.writer()));
    net.spawn(take(result.reader()), { place: 'main' });
  });
  await run(net, { runtime: c.where === 'local' ? local() : threads({ size: 2, modules: [MODULE] }) });
  const [sum, count, ms] = got as [number, number, number];
  if (sum !== expected || count !== n) throw new Error(`${c.name}: sum ${sum}, count ${count}; expected ${expected}, ${n}`);
  return ms;
}

const cases: Case[] = [];
for (const buffer of buffers) {
  cases.push({ name: `threads, for await, fixed(${buffer})`, where: 'threads', consumer: consumeForAwait, buffer });
  cases.push({ name: `threads, readMany loop, fixed(${buffer})`, where: 'threads', consumer: consumeReadMany, buffer });
  cases.push({ name: `threads, read() loop, fixed(${buffer})`, where: 'threads', consumer: consumeRead, buffer });
  cases.push({ name: `local, for await, fixed(${buffer})`, where: 'local', consumer: consumeForAwait, buffer });
}

const samples = new Map<Case, number[]>(cases.map((c) => [c, []]));
for (let rep = -1; rep < reps; rep++) {
  for (const c of cases) {
    const ms = await once(c);
    if (rep >= 0) samples.get(c)?.push(ms);
  }
}

const med = (c: Case): number => median(samples.get(c) ?? []);
console.log(`Node ${process.version}; ${n} values; median of ${reps} interleaved repetitions after a warm-up.`);
console.log('| case | median ms | min–max | vs readMany loop | read() loop / this |');
console.log('|---|--:|--:|--:|--:|');
for (const c of cases) {
  const xs = samples.get(c) ?? [];
  const like = (consumer: Consumer): Case => cases.find((d) => d.where === 'threads' && d.consumer === consumer && d.buffer === c.buffer) as Case;
  const vsLoop = med(c) / med(like(consumeReadMany));
  const speedUp = med(like(consumeRead)) / med(c);
  console.log(`| ${c.name} | ${med(c).toFixed(1)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${vsLoop.toFixed(2)}× | ${speedUp.toFixed(1)}× |`);
}
