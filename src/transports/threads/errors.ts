/** Errors of the thread transport, and how they cross a link (registered in a station's error table). */
import { CspflowError } from '../../core/errors.js';
import type { ErrorTable } from '../../remote/wire-errors.js';

/** A worker thread died (an uncaught error, or it exited) while it held ends or ran processes. */
export class WorkerCrashedError extends CspflowError {
  override readonly name = 'WorkerCrashedError';
  readonly code = 'ERR_CSPFLOW_WORKER_CRASHED';
  readonly worker: number;

  constructor(worker: number, cause: unknown) {
    const why = typeof cause === 'number' ? `exited with code ${cause}` : `crashed: ${cause instanceof Error ? cause.message : String(cause)}`;
    super(`worker ${worker} ${why}`, typeof cause === 'number' ? undefined : { cause });
    this.worker = worker;
  }
}

/** Teaches `errors` to rebuild the thread transport's errors as their classes. */
export function registerThreadErrors(errors: ErrorTable): void {
  errors.register('WorkerCrashedError', (f) => new WorkerCrashedError(typeof f.fields['worker'] === 'number' ? f.fields['worker'] : 0, f.cause ?? 0));
}

/** A thread runtime was asked to run a network after `close()`. */
export class RuntimeClosedError extends CspflowError {
  override readonly name = 'RuntimeClosedError';
  readonly code = 'ERR_CSPFLOW_RUNTIME_CLOSED';
  readonly runtime: string;

  constructor(runtime: string) {
    super(`the ${runtime} runtime is closed: make a new one with threads({ … }) to run again`);
    this.runtime = runtime;
  }
}

/**
 * threads() was called inside a cspflow worker: most often a one-file program whose top level
 * starts the pool, run again by every worker that imports it — each would start a pool of its own.
 */
export class WorkerRuntimeError extends CspflowError {
  override readonly name = 'WorkerRuntimeError';
  readonly code = 'ERR_CSPFLOW_RUNTIME_IN_WORKER';

  constructor() {
    super(
      'threads() was called inside a cspflow worker: a worker imports the modules it is given, and their top level runs there too. ' +
        "Guard the main program with isWorker() — import { isWorker } from 'cspflow'; if (!isWorker()) await run(net, { runtime: threads(…) }) — " +
        'or keep the processes in a module of their own and give only that module to threads({ modules }).',
    );
  }
}
