/**
 * Alt across homes (issue 14): the cost of one committed alt of two input guards, by where the
 * guards' channels live — both in this thread (the core's alt), both in one worker (the whole alt
 * runs there: one message each way), in two workers, and one here and one in a worker (both
 * spread: the alting thread arbitrates, about six messages). Every guard is ready, so the figure
 * is the protocol's cost, not a wait. Cases interleaved, one warm-up repetition not recorded;
 * prints medians (µs per committed alt) and ratios to the one-worker alt.
 *
 *   npx tsx --conditions=cspflow-source bench/alt-homes.ts [--reps=5] [--n=2000]
 */
import { alt, chan, input, type Channel } from '../src/index.js';
import { startRemoteHome, type RemoteHome } from '../src/testing/remote-home.js';
import { median } from './stats.js';

const args = process.argv.slice(2);
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? 5);
const n = Number(/^--n=(\d+)$/.exec(args.find((a) => a.startsWith('--n=')) ?? '')?.[1] ?? 2000);

const homes: RemoteHome[] = await Promise.all([startRemoteHome(), startRemoteHome()]);
const [h1, h2] = homes as [RemoteHome, RemoteHome];
const here = <T>(o: { buffer: number }): Channel<T> => chan<T>(o);

type Make = <T>(o: { buffer: number }) => Channel<T>;
const CASES: readonly (readonly [string, Make, Make])[] = [
  ['both here (core alt)', here, here],
  ['both in one worker (whole alt there)', (o) => h1.chan(o), (o) => h1.chan(o)],
  ['one per worker (spread)', (o) => h1.chan(o), (o) => h2.chan(o)],
  ['here and a worker (spread)', here, (o) => h1.chan(o)],
];

/** µs per committed alt over `n` alts, every guard ready (each channel prefilled with n values). */
async function once(a: Make, b: Make): Promise<number> {
  const ca = a<number>({ buffer: n });
  const cb = b<number>({ buffer: n });
  const values = Array.from({ length: n }, (_, i) => i);
  await Promise.all([ca.writer().writeMany(values), cb.writer().writeMany(values)]);
  await h1.settle();
  await h2.settle();
  const ra = ca.reader();
  const rb = cb.reader();
  let sum = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) sum += (await alt([input(ra), input(rb)])).value;
  const us = ((performance.now() - start) * 1000) / n;
  if (sum < 0) throw new Error('impossible');
  return us;
}

const times = CASES.map(() => [] as number[]);
for (let r = 0; r <= reps; r++) {
  for (const [i, [, a, b]] of CASES.entries()) {
    const us = await once(a, b);
    if (r > 0) (times[i] as number[]).push(us);
  }
}
const base = median(times[1] as number[]);
console.log(`alt of two ready input guards, ${n} alts per run, ${reps} runs (medians; machine: ${process.env['BENCH_MACHINE'] ?? 'see docs/benchmarks.md'})`);
for (const [i, [name]] of CASES.entries()) {
  const m = median(times[i] as number[]);
  console.log(`${name.padEnd(40)} ${m.toFixed(1).padStart(8)} µs/alt   ${(m / base).toFixed(2)}× one-worker alt`);
}
await Promise.all(homes.map((h) => h.dispose()));
