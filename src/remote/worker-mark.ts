/**
 * Whether this thread is a cspflow worker thread (of a thread runtime): the mark is set before the
 * worker imports the modules it was started with, so their top level can tell (`isWorker()`), and
 * threads() refuses to start a pool of its own there — a one-file program that starts a pool at
 * its top level would otherwise start one per worker, without end. A global symbol, so that two
 * copies of cspflow in one thread agree. (A `cspflow worker` NATS process is not marked.)
 */
const WORKER_MARK = Symbol.for('cspflow.worker');

/** Marks this thread as a cspflow worker (for good). */
export function markWorker(): void {
  (globalThis as Record<symbol, unknown>)[WORKER_MARK] = true;
}

/**
 * True in a cspflow worker thread (one of the pool of `threads()`). Guard
 * the main program of a one-file network with it: `if (!isWorker()) await run(net, { runtime })`.
 */
export function isWorker(): boolean {
  return (globalThis as Record<symbol, unknown>)[WORKER_MARK] === true;
}
