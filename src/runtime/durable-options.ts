/**
 * `net.channel(name, { durable })`: a channel whose values survive the death of the processes and
 * hosts holding them (JetStream on the NATS runtime). Declared in a network like any channel;
 * only a runtime that can keep values durably runs it — local() and threads() refuse the network
 * with DurableUnsupportedError rather than quietly giving weaker guarantees than were asked for.
 */
import { CspflowError } from '../core/errors.js';
import { checkInteger, checkOptions, invalidArgument } from '../core/validate.js';

export interface DurableOptions {
  /** Seconds a reader may hold a value without its lease being extended (it is while its process lives). Default 5. */
  readonly ackWait?: number;
  /** Deliveries of one value before the channel is poisoned with DeliveryExhaustedError. Default 20 (deliveries that never reached a process, such as read-ahead lost with a worker, count too). */
  readonly maxDeliver?: number;
  /** Stream replicas (1 on a server that is not clustered). Default 3. */
  readonly replicas?: number;
  /** The most bytes the stream stores (JetStream `max_bytes`; on a stream of one replica only): a full stream back-pressures the writer. Default: no byte bound. */
  readonly maxBytes?: number;
}

/** A network declares a durable channel and the runtime cannot keep values durably. */
export class DurableUnsupportedError extends CspflowError {
  override readonly name = 'DurableUnsupportedError';
  readonly code = 'ERR_CSPFLOW_DURABLE_UNSUPPORTED';
  readonly channel: string;
  readonly runtime: string;

  constructor(channel: string, runtime: string) {
    super(`channel "${channel}" is declared durable, which the ${runtime} runtime cannot provide (durable channels need JetStream: run the network on nats({ servers }) with a JetStream-enabled server)`);
    this.channel = channel;
    this.runtime = runtime;
  }
}

const OPTIONS = ['ackWait', 'maxDeliver', 'replicas', 'maxBytes'] as const;

/** Checks `durable` and the buffer it needs (its stream's max_msgs); throws a named error. */
export function checkDurable(call: string, durable: unknown, buffer: unknown, home: unknown): void {
  if (durable === undefined || durable === false) return;
  if (durable !== true) {
    checkOptions(call, 'options.durable', durable, OPTIONS);
    const d = durable as Partial<Record<(typeof OPTIONS)[number], unknown>>;
    if (d.ackWait !== undefined) checkInteger(call, 'options.durable.ackWait', d.ackWait, 1);
    if (d.maxDeliver !== undefined) checkInteger(call, 'options.durable.maxDeliver', d.maxDeliver, 1);
    if (d.replicas !== undefined) checkInteger(call, 'options.durable.replicas', d.replicas, 1);
    if (d.maxBytes !== undefined) checkInteger(call, 'options.durable.maxBytes', d.maxBytes, 1);
  }
  if (durableCapacity(buffer) === null) {
    throw invalidArgument('type', call, 'options.buffer', buffer, 'a number >= 1 or fixed(n) on a durable channel (the most values its stream holds)', 'A durable channel is buffered: give it { durable: true, buffer: 1024 }.');
  }
  if (home !== undefined && home !== 'main') throw invalidArgument('type', call, 'options.home', home, 'left out on a durable channel (its values live in JetStream)');
}

/** The capacity of a durable channel's stream, or null if `buffer` gives none. */
export function durableCapacity(buffer: unknown): number | null {
  if (typeof buffer === 'number') return buffer >= 1 ? buffer : null;
  if (typeof buffer === 'object' && buffer !== null) {
    const b = buffer as { kind?: unknown; capacity?: unknown };
    if (b.kind === 'fixed' && typeof b.capacity === 'number' && b.capacity >= 1) return b.capacity;
  }
  return null;
}

/** The settings of a checked `durable` option, defaults filled in. */
export function durableSettings(durable: true | DurableOptions): Required<Omit<DurableOptions, 'maxBytes'>> & { readonly maxBytes: number | null } {
  const d = durable === true ? {} : durable;
  return { ackWait: d.ackWait ?? 5, maxDeliver: d.maxDeliver ?? 20, replicas: d.replicas ?? 3, maxBytes: d.maxBytes ?? null };
}
