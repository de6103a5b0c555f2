/**
 * What observing costs (issue 12), on commstime (bench/scenarios.ts): the core before the
 * observer seam (src/ of a base revision, extracted from git), the current core with nobody
 * watching, and the current core watched —
 * lifecycle events and counters only, and with every block and resume as an event — beside the floor.
 *
 * Each variant runs in a process of its own (bench/observe-case.ts), and the processes alternate:
 * round after round, every variant once, in an order rotated per round. Unlike bench/core.ts (one
 * process for every case), two copies of cspflow in one process measured up to 25% apart with
 * identical code — each copy's classes make V8's shared promise machinery see more shapes, and a
 * watched case's JIT feedback leaks into an unwatched one — so one process per variant is the fair
 * comparison here. The clock is the process's CPU time (user + system) by default: on a machine
 * shared with other work, wall time mostly measures the neighbours. --base=HEAD is the A/A check.
 *
 *   npx tsx --conditions=cspflow-source bench/observe.ts [--base=<rev>] [--rounds=7] [--runs=3] [--clock=cpu|wall] [--quick]
 *
 * --base defaults to b25e323 (the commit before the seam); its copy goes to tmp/ (git-ignored; under node_modules tsx
 * compiles TypeScript differently: the copy measured 13% slower there). Figures go into docs/benchmarks.md by hand.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, revision } from './report.js';
import { median } from './stats.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const base = opt('base') ?? 'b25e323';
const rounds = Number(opt('rounds') ?? (quick ? 1 : 7));
const runs = Number(opt('runs') ?? (quick ? 1 : 3));
const clock = opt('clock') ?? 'cpu';
const N = quick ? 20_000 : 200_000;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CACHE = join(ROOT, 'tmp');
mkdirSync(CACHE, { recursive: true });
const copy = mkdtempSync(join(CACHE, 'cspflow-base-'));
execFileSync('sh', ['-c', `git archive ${base} src | tar -x -C ${copy}`], { cwd: ROOT });

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
}
const VARIANTS: readonly Variant[] = [
  { name: 'floor (minimal promise channel)', args: ['--variant=floor'] },
  { name: `cspflow at ${base} (before the seam)`, args: ['--variant=unwatched', `--src=${join(copy, 'src')}`] },
  { name: 'cspflow now, nobody watching', args: ['--variant=unwatched'] },
  { name: 'cspflow now, watch({ operations: false }): counters + lifecycle events', args: ['--variant=watched-lifecycle'] },
  { name: 'cspflow now, watch(): also every block and resume as an event', args: ['--variant=watched-operations'] },
];

const measured = revision();
const samples = VARIANTS.map((): number[] => []);
try {
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const i = (k + r) % VARIANTS.length;
      const v = VARIANTS[i] as Variant;
      const child = spawnSync(process.execPath, [TSX, '--conditions=cspflow-source', join(ROOT, 'bench/observe-case.ts'), ...v.args, `--n=${N}`, `--runs=${runs}`, `--clock=${clock}`], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`${v.name} failed:\n${child.stderr}`);
      (samples[i] as number[]).push(...(JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as { samples: number[] }).samples);
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}

const baseline = median(samples[1] as number[]);
const m = machine();
const fmt = (ns: number): string => (ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));
console.log(`Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx --conditions=cspflow-source bench/observe.ts ${args.join(' ')}\` at ${measured} — Node ${m.node}, nproc ${m.nproc}, ${m.cpu}.`);
console.log(
  `commstime, N = ${N.toLocaleString('en-US')} rounds of 4; ${rounds} rounds × ${runs} runs per variant, each variant in its own process, alternating; ` +
    `median ${clock === 'cpu' ? 'CPU' : 'wall'} ns per communication; × base is the median over the median of the core before the seam.\n`,
);
console.log('| case | median ns/op | min–max ns/op | × base |');
console.log('|---|--:|--:|--:|');
VARIANTS.forEach((v, i) => {
  const s = samples[i] as number[];
  console.log(`| ${v.name} | ${fmt(median(s))} | ${fmt(Math.min(...s))}–${fmt(Math.max(...s))} | ${(median(s) / baseline).toFixed(3)} |`);
});
