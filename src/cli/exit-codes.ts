/**
 * Exit codes of the `cspflow` CLI, stable across versions (docs/observability.md has the table):
 * scripts can tell a failed network from a wrong path or a deadlock.
 */
export const EXIT = {
  /** The command did what it was asked: the network ran to its end, the tests passed. */
  ok: 0,
  /** The network failed (a process threw), a replayed test failed, a benchmark check failed. */
  failed: 1,
  /** Wrong usage: unknown command or option, a missing or malformed argument. */
  usage: 2,
  /** The module (or test file) could not be found or loaded. */
  notFound: 3,
  /** The module loaded but exports nothing runnable (no network, nor a function returning one). */
  notRunnable: 4,
  /** The network deadlocked. */
  deadlock: 5,
  /** A server the command needs could not be reached or refused it (the live view's port, NATS, its credentials). */
  unreachable: 6,
  /** `cspflow worker`: the NATS connection was lost for longer than `--outage`. */
  lostCluster: 7,
  /** `cspflow worker`: stopped by a signal, but its grace period ran out and running processes were interrupted. */
  stoppedLate: 8,
  /** Interrupted (Ctrl-C): the network was stopped gracefully. 128 + SIGINT, as shells expect. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports with a message and an exit code (never a stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
