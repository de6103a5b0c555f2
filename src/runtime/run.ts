/**
 * Running a network: `run(net, { runtime, signal })` resolves when every process has ended and
 * rejects with the first real error. `start` gives a handle that can also be stopped gracefully
 * (`await using`): the network's sources retire their ends, the rest drains and ends.
 *
 * An observed run (`observe: true`, `inspect`, or a `cspflow:*` diagnostics subscriber present at
 * start) is watched from its first event: `handle.events()`, `handle.snapshot()`, and with
 * `inspect` a live view in the browser (src/observe).
 */
import { currentRuntime } from '../core/runtime.js';
import { anySubscribed } from '../observe/diagnostics.js';
import { NotObservedError } from '../observe/errors.js';
import type { CspflowEvent } from '../observe/events.js';
import type { Inspector } from '../observe/inspect-server.js';
import { resolveInspect, type InspectOptions, type ResolvedInspectOptions } from '../observe/inspect-options.js';
import { RunTracker, type EventsOptions } from '../observe/run-tracker.js';
import type { Snapshot } from '../observe/snapshot.js';
import { traceCarrier, type TraceCarrier } from '../observe/trace-context.js';
import { local } from './local.js';
import { checkOptionalSignal, checkOptions, invalidArgument } from '../core/validate.js';
import { isNetwork, type Network } from './network.js';
import type { ExecutionContext, Runtime } from './runtime.js';

export interface RunOptions {
  /** Where to run: `local()` (default) or `threads({ size, modules })`. */
  readonly runtime?: Runtime;
  /** Aborting stops the network gracefully: sources retire, buffers drain, processes end. */
  readonly signal?: AbortSignal;
  /**
   * Watch the run from its first event: events(), snapshot() and channel counters. Default false
   * (nothing is counted), unless a `cspflow:*` diagnostics channel has a subscriber at start.
   */
  readonly observe?: boolean;
  /** Serve a live view of the run on 127.0.0.1 (true: a free port). Implies `observe`. */
  readonly inspect?: boolean | InspectOptions;
}

export interface RunHandle extends AsyncDisposable {
  readonly done: Promise<void>;
  /** Graceful stop; resolves (or rejects) as `done`. */
  stop(): Promise<void>;
  /** The run's events: the first call from the run's start, later calls from the moment of the call. Throws NotObservedError on a run not observed. */
  events(options?: EventsOptions): AsyncIterableIterator<CspflowEvent>;
  /** The run as it stands now. Throws NotObservedError on a run not observed. */
  snapshot(): Snapshot;
  /** With `inspect`: the live view, once it listens (rejects with InspectorError if it cannot). */
  readonly inspector: Promise<Inspector> | null;
}

const RUN_OPTIONS = ['runtime', 'signal', 'observe', 'inspect'] as const;

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
  const observe = (options as RunOptions | undefined)?.observe;
  if (observe !== undefined && typeof observe !== 'boolean') throw invalidArgument('type', call, 'options.observe', observe, 'a boolean');
}

export function start(net: Network, options: RunOptions = {}): RunHandle {
  checkRun('start(net, options)', net, options);
  return started(net, options);
}

function started(net: Network, options: RunOptions): RunHandle {
  const runtime = options.runtime ?? local();
  const inspect = resolveInspect(options.inspect ?? false);
  const observe = options.observe ?? false;
  const tracker = observe || inspect !== null || anySubscribed() ? new RunTracker(currentRuntime(), net, runtime.name, runtime.name !== 'local') : null;
  let trace: TraceCarrier | null = null;
  const traceContext = (): TraceCarrier => (trace ??= traceCarrier());
  const context: ExecutionContext = { report: (event) => tracker?.report(event), traceContext };
  if (tracker !== null) {
    const { traceparent } = traceContext();
    tracker.report({ type: 'run:start', runtime: runtime.name, ...(traceparent === undefined ? {} : { traceparent }) });
  }
  const execution = tracker === null ? runtime.execute(net, context) : tracker.claim(() => runtime.execute(net, context));
  if (tracker !== null) {
    execution.done.then(
      () => tracker.finish(undefined),
      (error: unknown) => tracker.finish(error),
    );
  }
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
  const inspector = tracker !== null && inspect !== null ? serve(net, tracker, execution.done, inspect) : null;
  const watched = (what: string): RunTracker => {
    if (tracker === null) throw new NotObservedError(what);
    return tracker;
  };
  return {
    done: execution.done,
    stop,
    events: (eventsOptions) => watched('events()').events(eventsOptions),
    snapshot: () => watched('snapshot()').snapshot(),
    inspector,
    [Symbol.asyncDispose]: async () => {
      try {
        await stop();
      } finally {
        await inspector?.then((i) => i.close(), () => {});
      }
    },
  };
}

export function run(net: Network, options: RunOptions = {}): Promise<void> {
  try {
    checkRun('run(net, options)', net, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return started(net, options).done;
}

/** Starts the live view (loaded only when asked for); a failure to listen is also a process warning. */
function serve(net: Network, tracker: RunTracker, done: Promise<void>, options: ResolvedInspectOptions): Promise<Inspector> {
  const inspector = import('../observe/inspect-server.js').then((m) => m.serveInspector(net, () => tracker.snapshot(), done, options));
  inspector.catch((error: unknown) => globalThis.process?.emitWarning?.(error as Error));
  return inspector;
}
