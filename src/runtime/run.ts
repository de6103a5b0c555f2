/**
 * Running a network: `run(net, { runtime, signal })` resolves when every process has ended and
 * rejects with the first real error. `start` gives a handle that can also be stopped gracefully
 * (`await using`): the network's sources retire their ends, the rest drains and ends.
 */
import { local } from './local.js';
import { checkOptionalSignal, checkOptions, invalidArgument } from '../core/validate.js';
import { isNetwork, type Network } from './network.js';
import type { Runtime } from './runtime.js';

export interface RunOptions {
  /** Where to run: `local()` (default) or `threads({ size, modules })`. */
  readonly runtime?: Runtime;
  /** Aborting stops the network gracefully: sources retire, buffers drain, processes end. */
  readonly signal?: AbortSignal;
}

export interface RunHandle extends AsyncDisposable {
  readonly done: Promise<void>;
  /** Graceful stop; resolves (or rejects) as `done`. */
  stop(): Promise<void>;
}

const RUN_OPTIONS = ['runtime', 'signal'] as const;

function checkRun(call: string, net: unknown, options: unknown): void {
  if (!isNetwork(net)) {
    const fix = typeof net === 'function' ? 'Wrap the function in network(): run(network((net) => { … })).' : 'Make one with network((net) => { … }).';
    throw invalidArgument('type', call, 'net', net, 'a network made by network(build)', fix);
  }
  checkOptions(call, 'options', options, RUN_OPTIONS);
  const runtime = (options as RunOptions | undefined)?.runtime;
  if (runtime !== undefined && (typeof runtime !== 'object' || runtime === null || typeof (runtime as Partial<Runtime>).execute !== 'function')) {
    throw invalidArgument('type', call, 'options.runtime', runtime, 'a runtime: local() or threads({ modules }) (or left out for local())');
  }
  checkOptionalSignal(call, 'options.signal', (options as RunOptions | undefined)?.signal);
}

export function start(net: Network, options: RunOptions = {}): RunHandle {
  checkRun('start(net, options)', net, options);
  return started(net, options);
}

function started(net: Network, options: RunOptions): RunHandle {
  const execution = (options.runtime ?? local()).execute(net);
  const signal = options.signal;
  let stopped = false;
  const stop = (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      execution.drain();
    }
    return execution.done;
  };
  if (signal !== undefined) {
    if (signal.aborted) void stop().catch(() => {});
    else {
      const onAbort = (): void => void stop().catch(() => {});
      signal.addEventListener('abort', onAbort, { once: true });
      void execution.done.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => {});
    }
  }
  return { done: execution.done, stop, [Symbol.asyncDispose]: stop };
}

export function run(net: Network, options: RunOptions = {}): Promise<void> {
  try {
    checkRun('run(net, options)', net, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return started(net, options).done;
}
