/**
 * What observing costs (issue 12), on commstime (bench/scenarios.ts): the core as it was before
 * the observer seam (src/core of a base revision, extracted from git into a temporary folder and
 * loaded beside the current one), the current core with nobody watching, and the current core
 * watched — lifecycle events and counters only, and with every block and resume as an event.
 * Every case runs in this ONE process, interleaved, rotated per repetition, after a warm-up; each
 * timed run starts after a full GC; every run's result is checked.
 *
 *   npx tsx --conditions=cspflow-source bench/observe.ts [--base=<rev>] [--reps=9] [--quick]
 *
 * --base defaults to the commit before the seam (b25e323). Figures go into docs/benchmarks.md by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as current from '../src/index.js';
import { floorCases } from './peers/floor.js';
import { machine, revision } from './report.js';
import { type Observed, expectObserved, expectValue, expectedCommstime } from './scenarios.js';
import { median } from './stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const base = /^--base=(.+)$/.exec(args.find((a) => a.startsWith('--base=')) ?? '')?.[1] ?? 'b25e323';
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 2 : 9));
const N = quick ? 20_000 : 200_000;

/** The slice of the core API commstime needs. */
interface Core {
  chan: typeof current.chan;
  par: typeof current.par;
  process: typeof current.process;
}

function commstimeOn(core: Core): (n: number) => Promise<Observed> {
  const prefix = core.process('prefix', async (d: current.Reader<number>, a: current.Writer<number>, n: number) => {
    await a.write(0);
    for (let i = 1; i < n; i++) await a.write(await d.read());
    expectValue('prefix last', await d.read(), n);
  });
  const delta = core.process('delta', async (a: current.Reader<number>, c: current.Writer<number>, b: current.Writer<number>, n: number) => {
    for (let i = 0; i < n; i++) {
      const v = await a.read();
      await c.write(v);
      await b.write(v);
    }
  });
  const succ = core.process('succ', async (b: current.Reader<number>, d: current.Writer<number>, n: number) => {
    for (let i = 0; i < n; i++) await d.write((await b.read()) + 1);
  });
  const consume = core.process('consume', async (c: current.Reader<number>, n: number, seen: { count: number; sum: number }) => {
    for (let i = 0; i < n; i++) {
      seen.sum += await c.read();
      seen.count++;
    }
  });
  return async (n) => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => core.chan<number>({ name }));
    const seen = { count: 0, sum: 0 };
    await core.par(prefix(d.reader(), a.writer(), n), delta(a.reader(), c.writer(), b.writer(), n), succ(b.reader(), d.writer(), n), consume(c.reader(), n, seen));
    return seen;
  };
}

/** src/core at `rev`, extracted into a temporary folder and imported. */
async function coreAt(rev: string): Promise<{ core: Core; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cspflow-base-'));
  execFileSync('sh', ['-c', `git archive ${rev} src/core | tar -x -C ${dir}`]);
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(dir, 'src/core', file)).href)) as T;
  const { chan } = await load<{ chan: Core['chan'] }>('chan.ts');
  const { par, process: defineProcess } = await load<{ par: Core['par']; process: Core['process'] }>('process.ts');
  return { core: { chan, par, process: defineProcess }, dir };
}

interface Case {
  readonly name: string;
  run(n: number): Promise<Observed>;
}

const { core: baseCore, dir } = await coreAt(base);
const watched = (operations: boolean) => {
  const inner = commstimeOn(current);
  let events = 0;
  return async (n: number): Promise<Observed> => {
    const stop = current.watch(() => events++, { operations });
    try {
      return await inner(n);
    } finally {
      stop();
    }
  };
};
const floor = floorCases.find((c) => c.scenario === 'commstime') as (typeof floorCases)[number];
const CASES: readonly Case[] = [
  { name: 'floor (minimal promise channel)', run: (n) => floor.run(n) },
  { name: `cspflow at ${base} (before the seam)`, run: commstimeOn(baseCore) },
  { name: 'cspflow now, nobody watching', run: commstimeOn(current) },
  { name: 'cspflow now, watch({ operations: false }): counters + lifecycle events', run: watched(false) },
  { name: 'cspflow now, watch(): also every block and resume as an event', run: watched(true) },
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function timeOnce(c: Case, n: number): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  const t0 = process.hrtime.bigint();
  const seen = await c.run(n);
  const ns = Number(process.hrtime.bigint() - t0);
  expectObserved(c.name, seen, expectedCommstime(n));
  return ns / (4 * n);
}

const measured = revision();
try {
  for (const c of CASES) await timeOnce(c, N / 4);
  const samples = CASES.map((): number[] => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < CASES.length; k++) {
      const i = (k + r) % CASES.length;
      (samples[i] as number[]).push(await timeOnce(CASES[i] as Case, N));
    }
    process.stderr.write(`repetition ${r + 1}/${reps} done\n`);
  }
  const baseline = median(samples[1] as number[]);
  const m = machine();
  const fmt = (ns: number): string => (ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));
  console.log(`Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx --conditions=cspflow-source bench/observe.ts ${args.join(' ')}\` at ${measured} — Node ${m.node}, nproc ${m.nproc}, ${m.cpu}.`);
  console.log(`commstime, N = ${N.toLocaleString('en-US')} rounds of 4; median of ${reps} interleaved repetitions; ns per communication; × base is the median over the median of the core before the seam.\n`);
  console.log('| case | median ns/op | min–max ns/op | × base |');
  console.log('|---|--:|--:|--:|');
  CASES.forEach((c, i) => {
    const s = samples[i] as number[];
    console.log(`| ${c.name} | ${fmt(median(s))} | ${fmt(Math.min(...s))}–${fmt(Math.max(...s))} | ${(median(s) / baseline).toFixed(3)} |`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
