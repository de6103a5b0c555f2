/** The seam between a network and where it runs. */
import type { Network } from './network.js';

export interface Execution {
  /** Settles when every process has ended: resolves, or rejects with the first real error. */
  readonly done: Promise<void>;
  /** Graceful stop: retire the ends of the network's sources so the rest drains and ends. */
  drain(): void;
}

export interface Runtime {
  readonly name: string;
  /**
   * How many workers the runtime spreads processes over (the pool size of `threads()`); absent
   * means one. A farm (cspflow/futures) places that many replicas of each worker process.
   */
  readonly size?: number;
  execute(net: Network): Execution;
}
