/**
 * A pool as a network: one jobs channel per task (any-to-any: the driver writes chunks, the
 * task's farm workers take them), `workers` farm workers per task (placed on the runtime's
 * workers), a back channel from every farm worker to the driver, and a control channel from the
 * driver to each farm worker. The driver runs on the main thread.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { network, type ChannelDecl, type Network } from '../runtime/network.js';
import type { Dispatcher } from './dispatcher.js';
import type { BackMessage, ControlMessage, JobChunk } from './messages.js';
import type { AnyTask } from './types.js';

/** Chunks waiting in a jobs channel, per farm worker of the task. */
const JOBS_PER_WORKER = 2;
/** Messages the back channel holds (every farm worker writes ahead into it). */
const BACK_BUFFER = 256;
const CONTROL_BUFFER = 64;

export interface FarmShape {
  readonly tasks: readonly AnyTask[];
  readonly workers: number;
  readonly concurrency: number;
  readonly constants: Readonly<Record<string, unknown>>;
}

const driver = process('futures.driver', async (jobs: Writer<JobChunk>[], controls: Writer<ControlMessage>[], back: Reader<BackMessage>, dispatcher: Dispatcher) => {
  await dispatcher.serve(jobs, controls, back);
});

/** The task each farm worker runs, by farm worker index (as the network places them). */
export function farmTasks(shape: FarmShape): string[] {
  return shape.tasks.flatMap((t) => Array.from({ length: shape.workers }, () => t.taskName));
}

export function poolNetwork(shape: FarmShape, dispatcher: Dispatcher): Network {
  const names = shape.tasks.map((t) => t.taskName);
  return network((net) => {
    const back = net.channel<BackMessage>('futures.back', { buffer: BACK_BUFFER });
    const jobs = shape.tasks.map((t) => net.channel<JobChunk>(`futures.jobs.${t.taskName}`, { buffer: JOBS_PER_WORKER * shape.workers }));
    const controls: ChannelDecl<ControlMessage>[] = [];
    shape.tasks.forEach((t, i) => {
      for (let worker = 0; worker < shape.workers; worker++) {
        const control = net.channel<ControlMessage>(`futures.control.${t.taskName}.${worker}`, { buffer: CONTROL_BUFFER });
        const setup = { id: controls.length, worker, peers: shape.workers, tasks: names, concurrency: shape.concurrency, constants: shape.constants };
        controls.push(control);
        net.spawn(t((jobs[i] as ChannelDecl<JobChunk>).reader(), back.writer(), control.reader(), setup));
      }
    });
    net.spawn(
      driver(
        jobs.map((j) => j.writer()),
        controls.map((c) => c.writer()),
        back.reader(),
        dispatcher,
      ),
      { place: 'main' },
    );
  });
}
