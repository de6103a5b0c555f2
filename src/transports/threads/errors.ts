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
