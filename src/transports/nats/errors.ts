/** Errors of the NATS transport, and how they cross a link (registered in a station's error table). */
import { CspflowError } from '../../core/errors.js';
import type { ErrorTable } from '../../remote/wire-errors.js';

/**
 * Processes lost with their workers (every one of their channels durable, so restartable) found no
 * worker to take them over within the run's `restartMs`: the NATS server stayed away, or no worker
 * came back or joined.
 */
export class RestartTimeoutError extends CspflowError {
  override readonly name = 'RestartTimeoutError';
  readonly code = 'ERR_CSPFLOW_RESTART_TIMEOUT';
  /** How long the run waited for a worker. */
  readonly waitedMs: number;

  constructor(prefix: string, waitedMs: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`no cspflow worker (subject prefix "${prefix}") took over the processes of the lost workers within ${waitedMs} ms (restartMs); the last loss: ${why}`, { cause });
    this.waitedMs = waitedMs;
  }
}

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

/** The first connection to NATS failed: the servers could not be reached, or refused the credentials. */
export class NatsConnectError extends CspflowError {
  override readonly name = 'NatsConnectError';
  readonly code = 'ERR_CSPFLOW_NATS_CONNECT';
  /** The servers tried, credentials in URLs hidden. */
  readonly servers: string;
  /** True when a server answered but refused the credentials. */
  readonly refused: boolean;

  constructor(servers: string, refused: boolean, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(refused ? `NATS at ${servers} refused the credentials (${why})` : `cannot connect to NATS at ${servers}: ${why}`, { cause });
    this.servers = servers;
    this.refused = refused;
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

/** A durable channel gave up on a value: it was delivered `max_deliver` times and never acknowledged. */
export class DeliveryExhaustedError extends CspflowError {
  override readonly name = 'DeliveryExhaustedError';
  readonly code = 'ERR_CSPFLOW_DELIVERY_EXHAUSTED';
  readonly channel: string;
  /** The value's sequence number in the channel's stream. */
  readonly seq: number;

  constructor(channel: string, seq: number, maxDeliver: number) {
    super(`durable channel "${channel}": the value at stream sequence ${seq} was delivered ${maxDeliver} time(s) (max_deliver) and never acknowledged; the channel is poisoned rather than losing it silently`);
    this.channel = channel;
    this.seq = seq;
  }
}

/** A value too big for one NATS message (the server's max_payload) was written to a durable channel. */
export class DurableValueTooLargeError extends CspflowError {
  override readonly name = 'DurableValueTooLargeError';
  readonly code = 'ERR_CSPFLOW_DURABLE_TOO_LARGE';
  readonly channel: string;
  readonly bytes: number;
  readonly limit: number;

  constructor(channel: string, bytes: number, limit: number) {
    super(`durable channel "${channel}": a value of ${bytes} bytes (encoded) is over the server's max_payload of ${limit} bytes; nothing was stored`);
    this.channel = channel;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** An alt was given a guard on a durable channel: refused (an input guard would take and give back, reordering and redelivering). */
export class DurableAltError extends CspflowError {
  override readonly name = 'DurableAltError';
  readonly code = 'ERR_CSPFLOW_DURABLE_ALT';
  readonly channel: string;

  constructor(channel: string) {
    super(`alt over durable channel "${channel}" is refused: a guard would take a value from JetStream and give it back when another guard wins, reordering and redelivering it. Read the durable channel in a process of its own and alt over a core channel it feeds.`);
    this.channel = channel;
  }
}

/** The JetStream store of a durable channel kept failing for longer than the retry span. */
export class DurableStoreError extends CspflowError {
  override readonly name = 'DurableStoreError';
  readonly code = 'ERR_CSPFLOW_DURABLE_STORE';
  readonly channel: string;

  constructor(channel: string, what: string, spanMs: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`durable channel "${channel}": ${what} kept failing for ${spanMs} ms (${why})`, { cause });
    this.channel = channel;
  }
}

/** A run ended with values still in a durable channel's stream: nobody was left to read them. */
export class DurableAbandonedError extends CspflowError {
  override readonly name = 'DurableAbandonedError';
  readonly code = 'ERR_CSPFLOW_DURABLE_ABANDONED';
  readonly channel: string;
  /** Values left in the stream. */
  readonly left: number;

  constructor(channel: string, left: number) {
    super(`durable channel "${channel}": every process ended with ${left} value(s) still in its stream (its readers left or were stopped before taking them); the run does not count as complete`);
    this.channel = channel;
    this.left = left;
  }
}

/** Teaches `errors` to rebuild the NATS transport's errors as their classes. */
export function registerNatsErrors(errors: ErrorTable): void {
  const worker = (f: Readonly<Record<string, unknown>>): string => (typeof f['worker'] === 'string' ? f['worker'] : '?');
  errors.register('WorkerLostError', (f) => new WorkerLostError(worker(f.fields), f.cause ?? f.message));
  errors.register('WorkerStoppingError', (f) => Object.assign(new WorkerStoppingError(worker(f.fields), 0), { message: f.message }));
  const text = (f: Readonly<Record<string, unknown>>, key: string): string => (typeof f[key] === 'string' ? f[key] : '?');
  const num = (f: Readonly<Record<string, unknown>>, key: string): number => (typeof f[key] === 'number' ? f[key] : 0);
  const keep = <E extends Error>(error: E, message: string): E => Object.assign(error, { message });
  errors.register('DeliveryExhaustedError', (f) => keep(new DeliveryExhaustedError(text(f.fields, 'channel'), num(f.fields, 'seq'), 0), f.message));
  errors.register('DurableValueTooLargeError', (f) => new DurableValueTooLargeError(text(f.fields, 'channel'), num(f.fields, 'bytes'), num(f.fields, 'limit')));
  errors.register('DurableAltError', (f) => new DurableAltError(text(f.fields, 'channel')));
  errors.register('DurableStoreError', (f) => keep(new DurableStoreError(text(f.fields, 'channel'), '', 0, f.cause ?? f.message), f.message));
  errors.register('RestartTimeoutError', (f) => keep(new RestartTimeoutError('?', num(f.fields, 'waitedMs'), f.cause ?? f.message), f.message));
  errors.register('WorkerRefusedError', (f) => Object.assign(new WorkerRefusedError(worker(f.fields), ''), { message: f.message }));
}
