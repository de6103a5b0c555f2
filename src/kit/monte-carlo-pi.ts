/**
 * Monte Carlo π as a farm: `tasks` tasks of `samples` random points each, task t seeded with
 * seed + t; a worker counts the points inside the quarter circle. π ≈ 4 · hits / points. With
 * per-task seeds the hit count is exact and equals the sequential reference, whatever the schedule
 * and whichever thread ran which task.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkInteger } from './check.js';
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

/** What the collector adds up: hits over all tasks, and tasks done per worker. */
export interface PiTally {
  hits: number;
  readonly done: number[];
}

interface PiTask {
  readonly seed: number;
  readonly samples: number;
}

interface PiHits {
  readonly worker: number;
  readonly hits: number;
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

function checkOptions(where: string, options: PiOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object { tasks, samples, seed, workers }`);
  checkInteger(where, 'options.tasks', options.tasks, 0);
  checkInteger(where, 'options.samples', options.samples, 0);
  checkInteger(where, 'options.seed', options.seed);
  checkInteger(where, 'options.workers', options.workers, 1);
}

export const produce = process('kit.pi.produce', async (tasks: readonly PiTask[], out: Writer<PiTask>) => {
  for (const t of tasks) await out.write(t);
});

export const work = process('kit.pi.worker', async (id: number, from: Reader<PiTask>, to: Writer<PiHits>) => {
  for await (const t of from) await to.write({ worker: id, hits: piTaskHits(t) });
});

export const collect = process('kit.pi.collect', async (from: Reader<PiHits>, tally: PiTally) => {
  for await (const h of from) {
    tally.hits += h.hits;
    tally.done[h.worker] = (tally.done[h.worker] ?? 0) + 1;
  }
});

/** The processes of the farm, under their stable names (what a worker registers). */
export const monteCarloPiProcesses = { produce, work, collect };

/**
 * Monte Carlo π as a network: a producer and `options.workers` workers that may run in worker
 * threads; `collect`, on main, adds the hits into `tally.hits` and counts each worker's tasks in
 * `tally.done` (a zero for each worker is put there as the network is declared).
 */
export function monteCarloPiNetwork(options: PiOptions, tally: PiTally): Network {
  checkOptions('monteCarloPiNetwork', options);
  if (typeof tally !== 'object' || tally === null || !Array.isArray(tally.done)) throw new TypeError('monteCarloPiNetwork: tally must be an object { hits: number, done: number[] }');
  return network((net) => {
    const tasks = net.channel<PiTask>('pi.tasks', { buffer: 16 });
    const hits = net.channel<PiHits>('pi.hits', { buffer: 16 });
    net.spawn(produce(piTasks(options), tasks.writer()));
    for (let id = 0; id < options.workers; id++) {
      tally.done[id] ??= 0;
      net.spawn(work(id, tasks.reader(), hits.writer()));
    }
    net.spawn(collect(hits.reader(), tally), { place: 'main' });
  });
}

/** Estimates π on a farm of `workers` processes: `monteCarloPiNetwork` run in this thread. */
export async function monteCarloPi(options: PiOptions): Promise<PiEstimate> {
  const tally: PiTally = { hits: 0, done: [] };
  await run(monteCarloPiNetwork(options, tally), { runtime: local() });
  const points = options.tasks * options.samples;
  return { hits: tally.hits, points, pi: points === 0 ? NaN : (4 * tally.hits) / points, done: tally.done };
}

/** The sequential reference: the same tasks, one after another. */
export function monteCarloPiReference(options: PiOptions): { hits: number; points: number } {
  const hits = piTasks(options).reduce((s, t) => s + piTaskHits(t), 0);
  return { hits, points: options.tasks * options.samples };
}
