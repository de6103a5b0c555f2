/** Errors of the RxJS bridge (docs/errors.md). */
import { CspflowError } from '../core/errors.js';

/**
 * An Observable emitted faster than its channel took values and `fromObservable`'s buffer was
 * full, with `overflow: 'error'`. Raise `buffer`, read faster, or choose a dropping policy.
 */
export class OverflowError extends CspflowError {
  override readonly name = 'OverflowError';
  readonly code = 'ERR_CSPFLOW_OVERFLOW';

  constructor(
    readonly channel: string,
    readonly limit: number,
  ) {
    super(
      `fromObservable into channel "${channel}": the Observable emitted while ${limit} values already waited for the channel ` +
        `(overflow: 'error'). Raise options.buffer, read faster, or choose overflow: 'drop-newest' or 'drop-oldest'.`,
    );
  }
}
