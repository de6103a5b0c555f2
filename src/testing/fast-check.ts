/**
 * fast-check, for the arbitraries of cspflow/testing. It is an optional peer dependency: loaded
 * here when cspflow/testing loads, if it is installed. Without it the deterministic scheduler,
 * runScheduled, traces and the conformance suite work as usual; only the arbitraries (and
 * runChannelModel) fail, saying how to install it.
 */
import type fcModule from 'fast-check';
import { CspflowError } from '../core/errors.js';

/** An arbitrary was asked for, but fast-check is not installed. */
export class PeerMissingError extends CspflowError {
  override readonly name = 'PeerMissingError';
  readonly code = 'ERR_CSPFLOW_PEER_MISSING';

  constructor(
    readonly peer: string,
    what: string,
  ) {
    super(`${what} needs the optional peer dependency ${peer}, which is not installed: npm install --save-dev ${peer}`);
  }
}

const loaded: typeof fcModule | null = await import('fast-check').then(
  (m) => m.default,
  () => null,
);

/** fast-check, or a PeerMissingError naming `what` needed it. */
export function fastCheck(what: string): typeof fcModule {
  if (loaded === null) throw new PeerMissingError('fast-check', what);
  return loaded;
}
