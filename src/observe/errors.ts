/** Errors of observing a run: asking a run that is not observed, a live view that cannot listen. */
import { CspflowError } from '../core/errors.js';

/** events() or snapshot() on a run started without `observe` (or `inspect`). */
export class NotObservedError extends CspflowError {
  override readonly name = 'NotObservedError';
  readonly code = 'ERR_CSPFLOW_NOT_OBSERVED';

  constructor(readonly what: string) {
    super(`${what}: this run is not observed; start it with start(net, { observe: true }) (or { inspect: … }) to watch it from its first event`);
  }
}

/** The live view could not be served (the port is taken, the host is not an address of this machine, …). */
export class InspectorError extends CspflowError {
  override readonly name = 'InspectorError';
  readonly code = 'ERR_CSPFLOW_INSPECTOR';

  constructor(
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`the live view cannot listen on ${host}:${port}: ${why}. Pick another port (0 picks a free one).`, { cause });
  }
}
