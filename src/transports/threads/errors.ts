/** Errors of the thread transport. */
import { CspflowError } from '../../core/errors.js';


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
