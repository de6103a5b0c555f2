/** The seam between a network and where it runs. */
import type { CspflowEvent } from '../observe/events.js';
import type { WorkerSnapshot } from '../observe/snapshot.js';
import type { TraceCarrier } from '../observe/trace-context.js';
import type { Network } from './network.js';

export interface Execution {
  /** Settles when every process has ended: resolves, or rejects with the first real error. */
  readonly done: Promise<void>;
  /** Graceful stop: retire the ends of the network's sources so the rest drains and ends. */
  drain(): void;
  /**
   * Optional: the worker threads (or hosts) this execution runs on, for snapshots. A runtime
   * that does not report them gets one row for this thread and one for all its workers.
   */
  workers?(): readonly WorkerSnapshot[];
}

/** Events only a runtime knows: workers joining and leaving, a transport's connection. */
export type RuntimeEvent = Extract<CspflowEvent, { readonly type: 'worker:join' | 'worker:leave' | 'connection' }>;

/** What a run gives the runtime it executes on. */
export interface ExecutionContext {
  /** Tells the run's observers of a runtime event (a no-op when nobody observes). */
  readonly report: (event: RuntimeEvent) => void;
  /**
   * The W3C trace context of the code that started the run (empty without @opentelemetry/api): a
   * runtime running processes elsewhere sends it along and runs them inside withTraceContext.
   */
  readonly traceContext: () => TraceCarrier;
}

export interface Runtime {
  readonly name: string;
  /**
   * How many workers the runtime spreads processes over (the pool size of `threads()`); absent
   * means one. A farm (cspflow/futures) places that many replicas of each worker process.
   */
  readonly size?: number;
  /**
   * Optional, for a runtime whose `size` is only a cap (NATS: the workers that answer, up to
   * `size`): how many workers a run started now would get. It asks (one discovery), so a caller
   * that sizes a network by it (a futures pool without `workers`) asks once, before starting.
   */
  available?(): Promise<number>;
  execute(net: Network, context?: ExecutionContext): Execution;
}
