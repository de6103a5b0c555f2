/**
 * Core benchmark (issue 2): cspflow's in-process channels against the floor and three peers, in
 * two scenarios (see scenarios.ts). Every case runs in this ONE process, interleaved — each
 * repetition runs every case once, in an order rotated per repetition — so drift of the machine
 * (thermal, neighbours) spreads over all rows instead of biasing one. A warm-up round (¼ size)
 * runs first and is not recorded; each timed run starts after a full GC. Every run's result is
 * checked (count and sum), so a broken adapter fails instead of reporting a fast number.
 *
 *   npx tsx --conditions=cspflow-source bench/core.ts [--reps=7] [--quick] [--write]
 *
 * --write rewrites the core section of docs/benchmarks.md; --quick (a tenth of the sizes, two
 * repetitions) is for checking the harness and refuses --write.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncChannelCases } from './peers/async-channel.js';
import { cspflowCases } from './peers/cspflow.js';
import { effectCases } from './peers/effect.js';
import { floorCases } from './peers/floor.js';
import { jsCspCases } from './peers/js-csp.js';
import { machine, revision, writeCoreSection } from './report.js';
import { type BenchCase, STREAM_BATCH, STREAM_BUFFER, expectObserved, expectedCommstime, expectedStream, opsPerUnit } from './scenarios.js';
import { type Row, table } from './stats.js';

const CASES: readonly BenchCase[] = [...floorCases, ...cspflowCases, ...asyncChannelCases, ...jsCspCases, ...effectCases];

/** Same sizes for every library; chosen so the whole run takes ~1 minute on a 2-core machine. */
const COMMSTIME_N = 200_000;
const STREAM_M = 1_000_000;

const args = process.argv.slice(2);
const write = args.includes('--write');
const quick = args.includes('--quick');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 2 : 7));
if (quick && write) throw new Error('--quick figures are not worth writing down: drop --quick or --write');

const sizeOf = (c: BenchCase): number =>
  Math.round((c.scenario === 'commstime' ? COMMSTIME_N : STREAM_M) / (quick ? 10 : 1));

// A full GC before each timed run, so one case's garbage is not collected on the next one's clock.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs a case once at size n, checks what its consumer saw, and returns ns per op. */
async function timeOnce(c: BenchCase, n: number): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  const t0 = process.hrtime.bigint();
  const seen = await c.run(n);
  const ns = Number(process.hrtime.bigint() - t0);
  const label = `${c.library} ${c.scenario} ${c.variant}`.trim();
  expectObserved(label, seen, c.scenario === 'commstime' ? expectedCommstime(n) : expectedStream(n));
  return ns / (n * opsPerUnit(c.scenario));
}

// Taken before the first run: the modules measured were loaded at start-up, whatever git does meanwhile.
const measured = revision();
const started = Date.now();
for (const c of CASES) await timeOnce(c, Math.round(sizeOf(c) / 4));
const samples = CASES.map((): number[] => []);
for (let r = 0; r < reps; r++) {
  for (let k = 0; k < CASES.length; k++) {
    const i = (k + r) % CASES.length;
    samples[i].push(await timeOnce(CASES[i], sizeOf(CASES[i])));
  }
  process.stderr.write(`repetition ${r + 1}/${reps} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

const rows: Row[] = CASES.map((c, i) => ({ ...c, size: sizeOf(c), samples: samples[i] }))
  .sort((x, y) => (x.scenario === y.scenario ? 0 : x.scenario === 'commstime' ? -1 : 1));
const m = machine();
const command = `npx tsx --conditions=cspflow-source bench/core.ts ${args.join(' ')}`.trim();
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\` at ${measured} — Node ${m.node}, nproc ${m.nproc}, ${m.cpu}.`,
  `Median of ${reps} interleaved repetitions after a warm-up; ns per communication (commstime, N rounds of 4) ` +
    `or per value (stream: N values through a buffer of ${STREAM_BUFFER}, batched rows in batches of ${STREAM_BATCH}); ` +
    `lower is better; × floor is the median over the floor's median in the same scenario.`,
  '',
  table(rows),
].join('\n');
console.log(body);
process.stderr.write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
if (write) {
  writeCoreSection(new URL('../docs/benchmarks.md', import.meta.url).pathname, body);
  process.stderr.write('docs/benchmarks.md core section updated\n');
}
