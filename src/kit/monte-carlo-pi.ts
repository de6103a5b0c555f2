/**
 * Monte Carlo π as a farm: `tasks` tasks of `samples` random points each, task t seeded with
 * seed + t; a worker counts the points inside the quarter circle. π ≈ 4 · hits / points. With
 * per-task seeds the hit count is exact and equals the sequential reference, whatever the schedule.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';
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

/** The farm's stages under stable names, so worker threads can run them (a closure never crosses a thread). */
export const piProduce = process('pi.produce', async (tasks: readonly PiTask[], out: Writer<PiTask>) => {
  for (const t of tasks) await out.write(t);
});

export const piWorker = process('pi.worker', async (from: Reader<PiTask>, to: Writer<number>) => {
  for await (const t of from) await to.write(piTaskHits(t));
});

export const piCollect = process('pi.collect', async (from: Reader<number>, total: { hits: number }) => {
  for await (const h of from) total.hits += h;
});

/** Monte Carlo π as a declared network for `cspflow/threads`: `options.workers` replicas of the worker; hits add up in `total`. */
export function monteCarloPiNetwork(options: PiOptions, total: { hits: number }): Network {
  return network((net) => {
    const tasks = net.channel<PiTask>('pi.tasks', { buffer: 16 });
    const hits = net.channel<number>('pi.hits', { buffer: 16 });
    net.spawn(piProduce(piTasks(options), tasks.writer()));
    net.spawn(piWorker(tasks.reader(), hits.writer()), { replicas: options.workers });
    net.spawn(piCollect(hits.reader(), total), { place: 'main' });
  });
}
