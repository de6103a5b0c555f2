/**
 * The errors of cspflow/futures. Each carries its facts and says what to do; codes are listed in
 * docs/errors.md. A task's own error is never wrapped: its future rejects with it (see task-error.ts).
 */
import { CspflowError } from '../core/errors.js';

/** A future cancelled before its task started, or a map item cancelled with its map. */
export class CancelledError extends CspflowError {
  override readonly name = 'CancelledError';
  readonly code = 'ERR_CSPFLOW_CANCELLED';
  readonly task: string;

  constructor(task: string, reason?: unknown) {
    super(`task "${task}" was cancelled before it started`, reason === undefined ? undefined : { cause: reason });
    this.task = task;
  }
}

/** A pool was asked for work after `close()` began. */
export class PoolClosedError extends CspflowError {
  override readonly name = 'PoolClosedError';
  readonly code = 'ERR_CSPFLOW_POOL_CLOSED';

  constructor(call: string) {
    super(`${call}: the pool is closed (close() was called); make a new pool with futures({ runtime, tasks })`);
  }
}

/** The pool's network failed (a worker crashed, a task module failed to load, …): its work is lost. */
export class PoolFailedError extends CspflowError {
  override readonly name = 'PoolFailedError';
  readonly code = 'ERR_CSPFLOW_POOL_FAILED';
  readonly runtime: string;

  constructor(runtime: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`the futures pool on ${runtime} stopped: ${why}`, { cause });
    this.runtime = runtime;
  }
}

/** A task was given to a pool (or submitted from a task) that was not made with it. */
export class UnknownTaskError extends CspflowError {
  override readonly name = 'UnknownTaskError';
  readonly code = 'ERR_CSPFLOW_UNKNOWN_TASK';
  readonly task: string;

  constructor(task: string, known: readonly string[]) {
    super(`task "${task}" is not one of this pool's tasks (${known.map((k) => `"${k}"`).join(', ')}): list it in futures({ tasks }) — a pool starts a farm for each of its tasks when it starts`);
    this.task = task;
  }
}

/** A task asked for a shared constant no one set. */
export class UnknownSharedError extends CspflowError {
  override readonly name = 'UnknownSharedError';
  readonly code = 'ERR_CSPFLOW_UNKNOWN_SHARED';
  readonly constant: string;

  constructor(constant: string, known: readonly string[]) {
    const have = known.length === 0 ? 'none is set' : `the pool has ${known.map((k) => `"${k}"`).join(', ')}`;
    super(`shared constant "${constant}" is not set (${have}): pass it in futures({ constants }) or await pool.shared(name, value) before submitting`);
    this.constant = constant;
  }
}

/** A message between the pool's driver and its farm workers had the wrong shape (mixed cspflow versions?). */
export class FarmProtocolError extends CspflowError {
  override readonly name = 'FarmProtocolError';
  readonly code = 'ERR_CSPFLOW_FARM_PROTOCOL';

  constructor(channel: string, what: string) {
    super(`channel "${channel}" of a futures pool carried ${what}; are the main thread and the workers running the same cspflow?`);
  }
}
