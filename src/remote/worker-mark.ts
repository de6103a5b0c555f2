/**
 * Whether this thread is a cspflow worker (a worker thread of a thread runtime, or a `cspflow
 * worker` NATS process): the mark is set before the worker imports the modules it was started
 * with, so their top level can tell (`isWorker()`), and a runtime refuses to start a pool of its
 * own there — a one-file program that starts a pool at its top level would otherwise start one
 * per worker, without end. A global symbol, so that two copies of cspflow in one thread agree.
 */
const WORKER_MARK = Symbol.for('cspflow.worker');

/** Marks this thread as a cspflow worker (for good). */
export function markWorker(): void {
  (globalThis as Record<symbol, unknown>)[WORKER_MARK] = true;
}

/**
 * True in a cspflow worker: a worker thread of `threads()`, or a `cspflow worker` process. Guard
 * the main program of a one-file network with it: `if (!isWorker()) await run(net, { runtime })`.
 */
export function isWorker(): boolean {
  return (globalThis as Record<symbol, unknown>)[WORKER_MARK] === true;
}
