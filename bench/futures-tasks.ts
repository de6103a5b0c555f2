/** The tasks bench/futures.ts runs (a module the worker threads load). */
import { task } from '../src/futures/index.js';

export const inc = task('bench.inc', (x: number) => x + 1);

/** Points of `samples` (seeded) in the quarter circle: one Monte Carlo π task. */
export function piHitsOf(seed: number, samples: number): number {
  let a = seed >>> 0;
  let inside = 0;
  for (let i = 0; i < samples; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    a = (a + 0x6d2b79f5) >>> 0;
    t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const y = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    if (x * x + y * y <= 1) inside++;
  }
  return inside;
}

export const piHits = task('bench.piHits', (job: { seed: number; samples: number }) => piHitsOf(job.seed, job.samples));

/** SCOOP's recursive Fibonacci: each call submits its two subproblems to the pool (nested futures). */
export const fib = task('bench.fib', async function (n: number): Promise<number> {
  if (n < 2) return n;
  const [a, b] = await Promise.all([this.submit(fib, n - 1), this.submit(fib, n - 2)]);
  return a + b;
});

export const benchTasksModule = import.meta.url;
