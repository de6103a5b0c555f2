/** Errors of the NATS transport, and how they cross a link (registered in a station's error table). */
import { CspflowError } from '../../core/errors.js';
import type { ErrorTable } from '../../remote/wire-errors.js';

/** A NATS worker taking part in a run was lost: its process died, or it went silent beyond the lease. */
export class WorkerLostError extends CspflowError {
  override readonly name = 'WorkerLostError';
  readonly code = 'ERR_CSPFLOW_WORKER_LOST';
  /** The worker's id (its `--name`). */
  readonly worker: string;

  constructor(worker: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`NATS worker "${worker}" was lost: ${why}`, { cause });
    this.worker = worker;
  }
}

/** No worker answered discovery (or none could take the run): nothing to place processes on. */
export class NoWorkersError extends CspflowError {
  override readonly name = 'NoWorkersError';
  readonly code = 'ERR_CSPFLOW_NO_WORKERS';
  readonly prefix: string;

  constructor(prefix: string, detail: string) {
    super(`no cspflow worker can take this run (subject prefix "${prefix}"): ${detail}. Start one with: cspflow worker --nats <url> --module <file>`);
    this.prefix = prefix;
  }
}

/** A worker refused to take part in a run (it is draining, full, or lacks a process). */
export class WorkerRefusedError extends CspflowError {
  override readonly name = 'WorkerRefusedError';
  readonly code = 'ERR_CSPFLOW_WORKER_REFUSED';
  readonly worker: string;

  constructor(worker: string, why: string) {
    super(`NATS worker "${worker}" refused the run: ${why}`);
    this.worker = worker;
  }
}

/** The worker is stopping (SIGTERM) and its grace period ran out: the process is poisoned with this. */
export class WorkerStoppingError extends CspflowError {
  override readonly name = 'WorkerStoppingError';
  readonly code = 'ERR_CSPFLOW_WORKER_STOPPING';
  readonly worker: string;

  constructor(worker: string, graceMs: number) {
    super(`NATS worker "${worker}" is stopping and its ${graceMs} ms grace period ran out`);
    this.worker = worker;
  }
}

/** Teaches `errors` to rebuild the NATS transport's errors as their classes. */
export function registerNatsErrors(errors: ErrorTable): void {
  const worker = (f: Readonly<Record<string, unknown>>): string => (typeof f['worker'] === 'string' ? f['worker'] : '?');
  errors.register('WorkerLostError', (f) => new WorkerLostError(worker(f.fields), f.cause ?? f.message));
  errors.register('WorkerStoppingError', (f) => Object.assign(new WorkerStoppingError(worker(f.fields), 0), { message: f.message }));
  errors.register('WorkerRefusedError', (f) => Object.assign(new WorkerRefusedError(worker(f.fields), ''), { message: f.message }));
}
