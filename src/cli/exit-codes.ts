/** The exit codes of the `cspflow` CLI, one table (docs/cli.md repeats it). */
export const EXIT = {
  /** Done: the command finished; a worker stopped and every process ended within the grace period. */
  ok: 0,
  /** Something unexpected failed (a bug, or an error not listed here). */
  failed: 1,
  /** The command line was wrong (unknown option, missing argument, bad value). */
  usage: 2,
  /** Could not connect to NATS, or the server refused the credentials. */
  cannotConnect: 3,
  /** The NATS connection was lost for longer than the lease. */
  lostCluster: 4,
  /** A module given with --module could not be found or failed to load. */
  badModule: 5,
  /** A worker stopped, but its grace period ran out and running processes were interrupted. */
  interrupted: 6,
} as const;
