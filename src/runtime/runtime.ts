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
  execute(net: Network): Execution;
}
