/**
 * `task(name, fn)`: defines a task in a module. The Task it returns is what the pool's calls take
 * (submit, map, …) and also the process factory of the task's farm worker, named `task.<name>`:
 * every runtime's workers register the exported process factories of the modules they load, so a
 * task exported from a module listed in `threads({ modules })` (or loaded by a NATS worker) runs
 * there with no further registration. A runtime whose workers lack the module reports the unknown
 * process name when the pool starts.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { invalid } from './check.js';
import { Farm } from './farm.js';
import type { BackMessage, ControlMessage, JobChunk } from './messages.js';
import type { FarmSetup, Task, TaskContext } from './types.js';

/** The prefix of every task's process name. */
const TASK_PREFIX = 'task.';

export function task<A extends unknown[], R>(name: string, fn: (this: TaskContext, ...args: A) => R): Task<A, Awaited<R>> {
  if (typeof name !== 'string' || name.length === 0) throw invalid(typeof name === 'string' ? 'range' : 'type', 'task(name, fn)', 'name', name, 'a non-empty string');
  if (typeof fn !== 'function') throw invalid('type', 'task(name, fn)', 'fn', fn, 'a function (the task body)');
  const body = fn as (this: TaskContext, ...args: unknown[]) => unknown;
  const factory = process(`${TASK_PREFIX}${name}`, async (jobs: Reader<JobChunk>, back: Writer<BackMessage>, control: Reader<ControlMessage>, setup: FarmSetup) => {
    await new Farm(name, body, jobs, back, control, setup).run();
  });
  return Object.assign(factory, { taskName: name, fn }) as unknown as Task<A, Awaited<R>>;
}
