/**
 * A task farm: a producer puts tasks on one any-to-any channel; `workers` worker processes each
 * take the next task, compute, and send the result back tagged with the task's index; a
 * collector puts results in task order. Which worker does which task depends on the schedule;
 * the results do not.
 *
 * The work is any function, and a function cannot cross a thread: this farm runs in one thread.
 * A farm across threads names its work instead (see monte-carlo-pi.ts and integrate.ts).
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkInteger } from './check.js';

interface Tagged<V> {
  readonly index: number;
  readonly value: V;
  readonly worker: number;
}

export interface FarmResult<R> {
  /** results[i] is work(tasks[i]). */
  readonly results: R[];
  /** done[w] is how many tasks worker w did. */
  readonly done: number[];
}

export const produce = process('kit.farm.produce', async (tasks: readonly unknown[], out: Writer<Tagged<unknown>>) => {
  for (let index = 0; index < tasks.length; index++) await out.write({ index, value: tasks[index], worker: -1 });
});

export const work = process(
  'kit.farm.worker',
  async (id: number, fn: (task: unknown) => unknown, from: Reader<Tagged<unknown>>, to: Writer<Tagged<unknown>>) => {
    for await (const t of from) await to.write({ index: t.index, value: fn(t.value), worker: id });
  },
);

export const collect = process('kit.farm.collect', async (from: Reader<Tagged<unknown>>, into: FarmResult<unknown>) => {
  for await (const r of from) {
    into.results[r.index] = r.value;
    into.done[r.worker] = (into.done[r.worker] ?? 0) + 1;
  }
});

/** The farm as a network; `into.done` gets a zero for each worker as it is declared. */
function farmNetwork<T, R>(tasks: readonly T[], fn: (task: T) => R, workers: number, into: FarmResult<R>): Network {
  checkArray('farm', 'tasks', tasks);
  if (typeof fn !== 'function') throw new TypeError(`farm: fn must be a function, got ${typeof fn}`);
  checkInteger('farm', 'workers', workers, 1);
  return network((net) => {
    const todo = net.channel<Tagged<unknown>>('tasks');
    const back = net.channel<Tagged<unknown>>('results');
    net.spawn(produce(tasks, todo.writer()));
    for (let id = 0; id < workers; id++) {
      into.done[id] ??= 0;
      net.spawn(work(id, fn as (task: unknown) => unknown, todo.reader(), back.writer()));
    }
    net.spawn(collect(back.reader(), into as FarmResult<unknown>));
  });
}

/** Runs `fn` over every task on `workers` worker processes sharing one task channel, in this thread. */
export async function farm<T, R>(tasks: readonly T[], fn: (task: T) => R, workers: number): Promise<FarmResult<R>> {
  const result: FarmResult<R> = { results: [], done: [] };
  await run(farmNetwork(tasks, fn, workers, result), { runtime: local() });
  return result;
}
