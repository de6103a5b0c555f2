/**
 * Running a network: `run(net, { runtime, signal })` resolves when every process has ended and
 * rejects with the first real error. `start` gives a handle that can also be stopped gracefully
 * (`await using`): the network's sources retire their ends, the rest drains and ends.
 */
import { local } from './local.js';
import type { Network } from './network.js';
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

export function start(net: Network, options: RunOptions = {}): RunHandle {
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
  return start(net, options).done;
}
