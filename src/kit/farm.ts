/**
 * A task farm: a producer puts tasks on one any-to-any channel; `workers` worker processes each
 * take the next task, compute, and send the result back tagged with the task's index; a
 * collector puts results in task order. Which worker does which task depends on the schedule;
 * the results do not.
 */
import { chan } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { par, process } from '../core/process.js';

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

const produce = process('produce', async (tasks: readonly unknown[], out: Writer<Tagged<unknown>>) => {
  for (let index = 0; index < tasks.length; index++) await out.write({ index, value: tasks[index], worker: -1 });
});

const work = process(
  'worker',
  async (id: number, fn: (task: unknown) => unknown, from: Reader<Tagged<unknown>>, to: Writer<Tagged<unknown>>) => {
    for await (const t of from) await to.write({ index: t.index, value: fn(t.value), worker: id });
  },
);

const collect = process('collect', async (from: Reader<Tagged<unknown>>, results: unknown[], done: number[]) => {
  for await (const r of from) {
    results[r.index] = r.value;
    done[r.worker] = (done[r.worker] ?? 0) + 1;
  }
});

/** Runs `fn` over every task on `workers` worker processes sharing one task channel. */
export async function farm<T, R>(tasks: readonly T[], fn: (task: T) => R, workers: number): Promise<FarmResult<R>> {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`farm: workers must be an integer >= 1, got ${workers}`);
  const todo = chan<Tagged<unknown>>({ name: 'tasks' });
  const back = chan<Tagged<unknown>>({ name: 'results' });
  const results = new Array<unknown>(tasks.length);
  const done = new Array<number>(workers).fill(0);
  const crew = Array.from({ length: workers }, (_, id) => work(id, fn as (t: unknown) => unknown, todo.reader(), back.writer()));
  await par(produce(tasks, todo.writer()), crew, collect(back.reader(), results, done));
  return { results: results as R[], done };
}
