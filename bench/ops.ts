/**
 * Operators benchmark (issue 11), every case in ONE process, interleaved (each repetition runs
 * every case once, in an order rotated per repetition), medians of the repetitions, each run's
 * result checked (count and sum) so a broken case fails instead of reporting a fast number.
 *
 * chain — 1,000,000 numbers through map(x → 2x) → filter(x mod 3 ≠ 0) → batch(100), the
 *   batches counted and summed by a consumer:
 *   - cspflow pipeline: the three stages fused in one process (fromIterable → pipeline → reader);
 *   - cspflow unfused: map, filter, batch as three operators (three processes, three channels);
 *   - Node streams: Readable.from(source).map().filter(), batched by the consumer;
 *   - RxJS: from(source).pipe(map, filter, bufferCount(100)), synchronous, no back-pressure.
 * merge — 4 inputs of 250,000 numbers each into one reader: cspflow's merge (a pump per input)
 *   against a hand-written alt loop over the inputs (when-guards, RetiredError.guardIndex).
 *
 *   npx tsx --conditions=cspflow-source bench/ops.ts [--reps=7] [--quick] [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bufferCount, filter as rxFilter, from, map as rxMap } from 'rxjs';
import { alt, batch, chan, filter, fromIterable, input, map, merge, pipeline, RetiredError, type Reader } from '../src/index.js';
import { machine, revision } from './report.js';
import { median } from './stats.js';

interface Case {
  readonly scenario: 'chain' | 'merge';
  readonly name: string;
  readonly note: string;
  run(n: number): Promise<{ count: number; sum: number }>;
}

const BATCH = 100;
const BUFFER = 1024;

function* numbers(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

const keep = (x: number): boolean => x % 3 !== 0;
const twice = (x: number): number => x * 2;

/** What every chain case must see: the batches' count and the sum of their values. */
function expectedChain(n: number): { count: number; sum: number } {
  let kept = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = twice(i);
    if (keep(v)) {
      kept++;
      sum += v;
    }
  }
  return { count: Math.ceil(kept / BATCH), sum };
}

async function drain(reader: Reader<number[]>): Promise<{ count: number; sum: number }> {
  let count = 0;
  let sum = 0;
  for (;;) {
    let got: number[][];
    try {
      got = await reader.readMany(256);
    } catch (error) {
      if (error instanceof RetiredError) return { count, sum };
      throw error;
    }
    for (const b of got) {
      count++;
      for (const v of b) sum += v;
    }
  }
}

const chainCases: Case[] = [
  {
    scenario: 'chain',
    name: 'cspflow pipeline',
    note: 'map → filter → batch fused in one process; channels of 1024',
    run: (n) => drain(pipeline(fromIterable(numbers(n), { buffer: BUFFER }), map(twice), filter(keep), batch<number>(BATCH), { buffer: 16 })),
  },
  {
    scenario: 'chain',
    name: 'cspflow unfused',
    note: 'map, filter, batch as three operators (three processes and channels)',
    run: (n) => {
      const mapped = map(fromIterable(numbers(n), { buffer: BUFFER }), twice, { buffer: BUFFER });
      return drain(batch(filter(mapped, keep, { buffer: BUFFER }), BATCH, { buffer: 16 }));
    },
  },
  {
    scenario: 'chain',
    name: 'Node streams',
    note: 'Readable.from().map().filter(), batched by the consumer',
    run: async (n) => {
      let count = 0;
      let sum = 0;
      let held = 0;
      for await (const v of Readable.from(numbers(n)).map(twice).filter(keep)) {
        sum += v as number;
        if (++held === BATCH) {
          count++;
          held = 0;
        }
      }
      return { count: count + (held > 0 ? 1 : 0), sum };
    },
  },
  {
    scenario: 'chain',
    name: 'RxJS',
    note: 'from().pipe(map, filter, bufferCount), synchronous, no back-pressure',
    run: (n) =>
      new Promise((resolve, reject) => {
        let count = 0;
        let sum = 0;
        from(numbers(n))
          .pipe(rxMap(twice), rxFilter(keep), bufferCount(BATCH))
          .subscribe({
            next: (b) => {
              count++;
              for (const v of b) sum += v;
            },
            error: reject,
            complete: () => resolve({ count, sum }),
          });
      }),
  },
];

const INPUTS = 4;

async function sumAll(reader: Reader<number>): Promise<{ count: number; sum: number }> {
  let count = 0;
  let sum = 0;
  for (;;) {
    let got: number[];
    try {
      got = await reader.readMany(256);
    } catch (error) {
      if (error instanceof RetiredError) return { count, sum };
      throw error;
    }
    count += got.length;
    for (const v of got) sum += v;
  }
}

const sources = (n: number): Reader<number>[] => Array.from({ length: INPUTS }, () => fromIterable(numbers(n / INPUTS), { buffer: BUFFER }));

const mergeCases: Case[] = [
  {
    scenario: 'merge',
    name: 'cspflow merge',
    note: 'one pump per input (readMany → writeMany)',
    run: (n) => sumAll(merge(sources(n), { buffer: BUFFER })),
  },
  {
    scenario: 'merge',
    name: 'alt loop',
    note: 'one process alternating over the inputs (when-guards, guardIndex)',
    run: async (n) => {
      const inputs = sources(n);
      const open = inputs.map(() => true);
      let left = inputs.length;
      let count = 0;
      let sum = 0;
      while (left > 0) {
        try {
          const r = await alt(inputs.map((reader, i) => input(reader, { when: open[i] })));
          count++;
          sum += r.value;
        } catch (error) {
          if (!(error instanceof RetiredError) || error.guardIndex === undefined) throw error;
          open[error.guardIndex] = false;
          left--;
        }
      }
      return { count, sum };
    },
  },
];

function expectedMerge(n: number): { count: number; sum: number } {
  const each = n / INPUTS;
  return { count: n, sum: INPUTS * ((each * (each - 1)) / 2) };
}

const args = process.argv.slice(2);
const write = args.includes('--write');
const quick = args.includes('--quick');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 2 : 7));
if (quick && write) throw new Error('--quick figures are not worth writing down: drop --quick or --write');
const N = quick ? 100_000 : 1_000_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CASES = [...chainCases, ...mergeCases];

async function timeOnce(c: Case, n: number): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  const t0 = process.hrtime.bigint();
  const seen = await c.run(n);
  const ns = Number(process.hrtime.bigint() - t0);
  const want = c.scenario === 'chain' ? expectedChain(n) : expectedMerge(n);
  if (seen.count !== want.count || seen.sum !== want.sum) throw new Error(`${c.name}: saw ${JSON.stringify(seen)}, expected ${JSON.stringify(want)}`);
  return ns / n;
}

const measured = revision();
const started = Date.now();
for (const c of CASES) await timeOnce(c, N / 4);
const samples = CASES.map((): number[] => []);
for (let r = 0; r < reps; r++) {
  for (let k = 0; k < CASES.length; k++) {
    const i = (k + r) % CASES.length;
    samples[i]!.push(await timeOnce(CASES[i]!, N));
  }
  process.stderr.write(`repetition ${r + 1}/${reps} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

const fmt = (ns: number): string => (ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));
const baseline: Record<Case['scenario'], string> = { chain: 'cspflow pipeline', merge: 'cspflow merge' };
const lines = [
  '| scenario | case | how | N | median ns/value | min–max ns/value | × cspflow | × cspflow, paired |',
  '|---|---|---|--:|--:|--:|--:|--:|',
];
CASES.forEach((c, i) => {
  const s = samples[i]!;
  const b = samples[CASES.findIndex((x) => x.scenario === c.scenario && x.name === baseline[c.scenario])]!;
  // Paired: the ratio within each repetition (same moment of a noisy machine), then the median.
  const paired = median(s.map((v, r) => v / b[r]!));
  lines.push(
    `| ${c.scenario} | ${c.name} | ${c.note} | ${N.toLocaleString('en-US')} | ${fmt(median(s))} | ${fmt(Math.min(...s))}–${fmt(Math.max(...s))} | ` +
      `${(median(s) / median(b)).toFixed(2)} | ${paired.toFixed(2)} |`,
  );
});
const mach = machine();
const command = `npx tsx --conditions=cspflow-source bench/ops.ts ${args.join(' ')}`.trim();
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\` at ${measured} — Node ${mach.node}, nproc ${mach.nproc}, ${mach.cpu}; the machine was shared with other work.`,
  `Median of ${reps} interleaved repetitions after a warm-up; ns per value (lower is better); × cspflow is the median over the cspflow row's median in the same scenario (above 1: slower than cspflow); paired is the median of the per-repetition ratios, steadier on a busy machine.`,
  '',
  ...lines,
].join('\n');
console.log(body);
if (write) {
  const file = new URL('../docs/benchmarks.md', import.meta.url).pathname;
  const text = readFileSync(file, 'utf8');
  const [begin, end] = ['<!-- ops:begin -->', '<!-- ops:end -->'];
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file}: markers ${begin} … ${end} not found`);
  writeFileSync(file, `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`);
  process.stderr.write('docs/benchmarks.md ops section updated\n');
}
