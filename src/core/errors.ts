/**
 * Every error cspflow raises, in one file. Each is a named subclass of Error that carries the
 * facts a user needs to act on it (which channel, which process) and keeps `cause` when there is one.
 *
 * Termination errors (PoisonError, RetiredError) are how channels end; every other error is a
 * "real" error that poisons the ends of the process it escapes from and rejects the enclosing par.
 */

/**
 * The base of every error cspflow raises: `code` is stable across versions (scripts and logs can
 * match on it), while messages may be reworded. docs/errors.md lists every code.
 */
export abstract class CspflowError extends Error {
  abstract readonly code: `ERR_CSPFLOW_${string}`;
}

/** Where an operation or a termination came from, for messages. */
export interface Site {
  readonly channel: string;
  readonly process?: string | undefined;
}

function describeReason(reason: unknown): string {
  if (reason === undefined) return '';
  if (reason instanceof Error) return `: ${reason.name}: ${reason.message}`;
  return `: ${String(reason)}`;
}

/** The channel was poisoned: every pending and later operation on it fails with this. */
export class PoisonError extends CspflowError {
  override readonly name = 'PoisonError';
  readonly code = 'ERR_CSPFLOW_POISONED';
  /** What the poisoner gave to `poison(reason)`, or the error that poisoned a process's ends. */
  readonly reason: unknown;
  /** The channel that was poisoned first, and the process that poisoned it (if any). */
  readonly origin: Site;
  /** With `alt`: the index of the guard whose channel was poisoned. */
  guardIndex?: number;

  constructor(reason: unknown, origin: Site) {
    const by = origin.process === undefined ? '' : ` by process "${origin.process}"`;
    super(`channel "${origin.channel}" poisoned${by}${describeReason(reason)}`, reason instanceof Error ? { cause: reason } : undefined);
    this.reason = reason;
    this.origin = origin;
  }
}

/** Why a RetiredError was raised. */
export type RetiredWhy =
  /** Every writer retired and the buffer is drained: the reader has reached end-of-stream. */
  | 'writers-retired'
  /** Every reader retired: nobody will ever read what a writer offers. */
  | 'readers-retired'
  /** This end itself was retired (or poisoned) and can no longer be used. */
  | 'end-retired';

/** A graceful end: the channel (or the end used) has retired. Nothing buffered was lost. */
export class RetiredError extends CspflowError {
  override readonly name = 'RetiredError';
  readonly code = 'ERR_CSPFLOW_RETIRED';
  readonly why: RetiredWhy;
  readonly channel: string;
  /** With `alt`: the index of the guard whose channel had retired. */
  guardIndex?: number;

  constructor(why: RetiredWhy, channel: string) {
    const text: Record<RetiredWhy, string> = {
      'writers-retired': 'every writer has retired and the buffer is empty (end of stream)',
      'readers-retired': 'every reader has retired; nobody will read this value',
      'end-retired': 'this end was retired or poisoned and can no longer be used',
    };
    super(`channel "${channel}": ${text[why]}`);
    this.why = why;
    this.channel = channel;
  }
}

/** One process found blocked by deadlock detection. */
export interface BlockedProcess {
  readonly process: string;
  readonly operation: 'read' | 'write' | 'alt';
  readonly channels: readonly string[];
}

/** Every process of a set is blocked on channels that nothing outside the set can complete. */
export class DeadlockError extends CspflowError {
  override readonly name = 'DeadlockError';
  readonly code = 'ERR_CSPFLOW_DEADLOCK';
  readonly blocked: readonly BlockedProcess[];

  constructor(blocked: readonly BlockedProcess[]) {
    const lines = blocked.map((b) => `  process "${b.process}" blocked on ${b.operation} of ${b.channels.map((c) => `"${c}"`).join(', ')}`);
    super(`deadlock: ${blocked.length} process(es) wait on channels nothing else can complete\n${lines.join('\n')}`);
    this.blocked = blocked;
  }
}

/** Too many operations are waiting on one channel: almost always a loop that does not await. */
export class PendingLimitError extends CspflowError {
  override readonly name = 'PendingLimitError';
  readonly code = 'ERR_CSPFLOW_PENDING_LIMIT';
  readonly channel: string;
  readonly side: 'reads' | 'writes';
  readonly limit: number;

  constructor(channel: string, side: 'reads' | 'writes', limit: number) {
    super(
      `channel "${channel}" already has ${limit} pending ${side}. Await each operation before starting the next, ` +
        `give the channel a buffer, or raise the cap with chan({ maxPending }).`,
    );
    this.channel = channel;
    this.side = side;
    this.limit = limit;
  }
}

/** A non-Error value was thrown by a process; this wraps it so the name and the value travel together. */
export class ProcessError extends CspflowError {
  override readonly name = 'ProcessError';
  readonly code = 'ERR_CSPFLOW_PROCESS_THREW';
  readonly process: string;

  constructor(process: string, thrown: unknown) {
    super(`process "${process}" threw a non-Error value: ${String(thrown)}`, { cause: thrown });
    this.process = process;
  }
}

/** True for the errors by which channels end (poison, retire); false for real failures. */
export function isTermination(error: unknown): error is PoisonError | RetiredError {
  return error instanceof PoisonError || error instanceof RetiredError;
}

/** The error an aborted operation fails with: the signal's reason, as an Error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason), { cause: reason });
}

const BUILTIN_ERRORS: Readonly<Record<string, new (message: string, options?: ErrorOptions) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The built-in Error class called `name` (TypeError, RangeError, …), or Error: what an error
 * rebuilt on the other side of a thread or host boundary is made as when its class is not known.
 */
export function builtinErrorClass(name: string): new (message: string, options?: ErrorOptions) => Error {
  return Object.hasOwn(BUILTIN_ERRORS, name) ? (BUILTIN_ERRORS[name] as new (message: string, options?: ErrorOptions) => Error) : Error;
}
