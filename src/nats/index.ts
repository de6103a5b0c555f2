export { nats, type NatsOptions } from '../runtime/nats.js';
export { startNatsWorker, type NatsWorker, type NatsWorkerOptions } from '../transports/nats/worker.js';
export {
  WorkerLostError,
  RestartTimeoutError,
  NatsConnectError,
  NoWorkersError,
  WorkerRefusedError,
  WorkerStoppingError,
  DeliveryExhaustedError,
  DurableValueTooLargeError,
  DurableAltError,
  DurableStoreError,
  DurableAbandonedError,
} from '../transports/nats/errors.js';
export { DurableUnsupportedError, type DurableOptions } from '../runtime/durable-options.js';
export { LinkLostError, type LinkLostReason } from '../remote/link-errors.js';
export type { NatsConnectOptions } from '../transports/nats/nats-client.js';
