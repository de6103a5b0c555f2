/**
 * Bounded producer-consumer: producers write their items to one channel with a fixed buffer of
 * `capacity`; consumers take items until every producer has retired. No item is lost or
 * duplicated, and each consumer sees each producer's items in the order written.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';

export interface Item {
  readonly producer: number;
  readonly seq: number;
}

export interface ProducerConsumerOptions {
  /** Items per producer. */
  readonly items: readonly number[];
  readonly consumers: number;
  /** The buffer; 0 is rendezvous. */
  readonly capacity: number;
}

export const produce = process('producer', async (id: number, count: number, out: Writer<Item>) => {
  for (let seq = 0; seq < count; seq++) await out.write({ producer: id, seq });
});

export const consume = process('consumer', async (from: Reader<Item>, into: Item[]) => {
  for await (const item of from) into.push(item);
});

/** What each consumer received, in the order it received it. */
export async function producerConsumer(options: ProducerConsumerOptions): Promise<Item[][]> {
  const received: Item[][] = Array.from({ length: options.consumers }, () => []);
  await run(producerConsumerNetwork(options, received), { runtime: local() });
  return received;
}

/** Every item produced, sorted by producer then seq: what the consumers must have got between them. */
/** The same bounded producer-consumer as a declared network for `cspflow/threads`: producers in workers, consumers fill `received` on the main thread. */
export function producerConsumerNetwork(options: ProducerConsumerOptions, received: Item[][]): Network {
  return network((net) => {
    const queue = net.channel<Item>('queue', { buffer: options.capacity });
    options.items.forEach((count, id) => net.spawn(produce(id, count, queue.writer())));
    for (const into of received) net.spawn(consume(queue.reader(), into), { place: 'main' });
  });
}

export function producedItems(options: Pick<ProducerConsumerOptions, 'items'>): Item[] {
  return options.items.flatMap((count, producer) => Array.from({ length: count }, (_, seq) => ({ producer, seq })));
}
