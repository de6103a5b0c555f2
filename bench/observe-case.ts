/**
 * One variant of bench/observe.ts, alone in its process: loads the cspflow it is told to (the
 * working tree's src/, or a copy of another revision's), runs commstime once at a quarter size to
 * warm up, then `--runs` timed runs, each after a full GC, every result checked; prints the samples
 * (ns per communication, on the CPU or wall clock) as one JSON line.
 *
 *   npx tsx --conditions=cspflow-source bench/observe-case.ts --variant=<v> [--src=<dir>] --n=<rounds> --runs=<k> --clock=cpu|wall
 *
 * Variants: floor · unwatched · watched-lifecycle (watch({ operations: false })) · watched-operations (watch()).
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as cspflow from '../src/index.js';
import { floorCases } from './peers/floor.js';
import { type Observed, expectObserved, expectValue, expectedCommstime } from './scenarios.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const variant = arg('variant') ?? 'unwatched';
const n = Number(arg('n') ?? 200_000);
const runs = Number(arg('runs') ?? 3);
const clock = arg('clock') ?? 'cpu';
const src = arg('src') ?? new URL('../src', import.meta.url).pathname;

function clockNs(): number {
  if (clock === 'wall') return Number(process.hrtime.bigint());
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function commstimeOn(api: typeof cspflow): (n: number) => Promise<Observed> {
  const prefix = api.process('prefix', async (d: cspflow.Reader<number>, a: cspflow.Writer<number>, n: number) => {
    await a.write(0);
    for (let i = 1; i < n; i++) await a.write(await d.read());
    expectValue('prefix last', await d.read(), n);
  });
  const delta = api.process('delta', async (a: cspflow.Reader<number>, c: cspflow.Writer<number>, b: cspflow.Writer<number>, n: number) => {
    for (let i = 0; i < n; i++) {
      const v = await a.read();
      await c.write(v);
      await b.write(v);
    }
  });
  const succ = api.process('succ', async (b: cspflow.Reader<number>, d: cspflow.Writer<number>, n: number) => {
    for (let i = 0; i < n; i++) await d.write((await b.read()) + 1);
  });
  const consume = api.process('consume', async (c: cspflow.Reader<number>, n: number, seen: { count: number; sum: number }) => {
    for (let i = 0; i < n; i++) {
      seen.sum += await c.read();
      seen.count++;
    }
  });
  return async (n) => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => api.chan<number>({ name })) as [cspflow.Channel<number>, cspflow.Channel<number>, cspflow.Channel<number>, cspflow.Channel<number>];
    const seen = { count: 0, sum: 0 };
    await api.par(prefix(d.reader(), a.writer(), n), delta(a.reader(), c.writer(), b.writer(), n), succ(b.reader(), d.writer(), n), consume(c.reader(), n, seen));
    return seen;
  };
}

async function scenario(): Promise<(n: number) => Promise<Observed>> {
  if (variant === 'floor') return (floorCases.find((c) => c.scenario === 'commstime') as (typeof floorCases)[number]).run;
  const api = (await import(pathToFileURL(`${src}/index.ts`).href)) as typeof cspflow;
  const inner = commstimeOn(api);
  if (variant === 'unwatched') return inner;
  const operations = variant === 'watched-operations';
  let events = 0;
  return async (rounds) => {
    const stop = api.watch(() => events++, { operations });
    try {
      return await inner(rounds);
    } finally {
      stop();
    }
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const run = await scenario();
const samples: number[] = [];
for (let r = -1; r < runs; r++) {
  const size = r < 0 ? n / 4 : n;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  const t0 = clockNs();
  const seen = await run(size);
  const ns = clockNs() - t0;
  expectObserved(variant, seen, expectedCommstime(size));
  if (r >= 0) samples.push(ns / (4 * size));
}
console.log(JSON.stringify({ variant, samples }));
