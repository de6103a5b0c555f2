/**
 * Monte Carlo π as a farm: `tasks` tasks of `samples` random points each, task t seeded with
 * seed + t; a worker counts the points inside the quarter circle. π ≈ 4 · hits / points. With
 * per-task seeds the hit count is exact and equals the sequential reference, whatever the schedule.
 */
import { farm } from './farm.js';
import { seededRandom } from './rng.js';

export interface PiOptions {
  readonly tasks: number;
  readonly samples: number;
  readonly seed: number;
  readonly workers: number;
}

export interface PiEstimate {
  readonly hits: number;
  readonly points: number;
  readonly pi: number;
  /** Tasks done by each worker (depends on the schedule). */
  readonly done: readonly number[];
}

interface PiTask {
  readonly seed: number;
  readonly samples: number;
}

/** Points of one task that fall inside the quarter circle. */
export function piTaskHits(task: PiTask): number {
  const random = seededRandom(task.seed);
  let hits = 0;
  for (let s = 0; s < task.samples; s++) {
    const x = random();
    const y = random();
    if (x * x + y * y <= 1) hits++;
  }
  return hits;
}

function piTasks(options: PiOptions): PiTask[] {
  return Array.from({ length: options.tasks }, (_, t) => ({ seed: (options.seed + t) | 0, samples: options.samples }));
}

/** Estimates π on a farm of `workers` processes. */
export async function monteCarloPi(options: PiOptions): Promise<PiEstimate> {
  const { results, done } = await farm(piTasks(options), piTaskHits, options.workers);
  const hits = results.reduce((s, h) => s + h, 0);
  const points = options.tasks * options.samples;
  return { hits, points, pi: points === 0 ? NaN : (4 * hits) / points, done };
}

/** The sequential reference: the same tasks, one after another. */
export function monteCarloPiReference(options: PiOptions): { hits: number; points: number } {
  const hits = piTasks(options).reduce((s, t) => s + piTaskHits(t), 0);
  return { hits, points: options.tasks * options.samples };
}
