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
import { checkArray, checkInteger } from './check.js';

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

export const produce = process('kit.prodcons.producer', async (id: number, count: number, out: Writer<Item>) => {
  for (let seq = 0; seq < count; seq++) await out.write({ producer: id, seq });
});

export const consume = process('kit.prodcons.consumer', async (from: Reader<Item>, into: Item[]) => {
  for await (const item of from) into.push(item);
});

/** The processes of the buffer, under their stable names (what a worker registers). */
export const producerConsumerProcesses = { produce, consume };

/**
 * The bounded buffer as a network: the producers may run in workers; consumer c, on main, appends
 * what it receives to `received[c]` (made if missing).
 */
export function producerConsumerNetwork(options: ProducerConsumerOptions, received: Item[][]): Network {
  const where = 'producerConsumerNetwork';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object { items, consumers, capacity }`);
  checkArray(where, 'options.items', options.items);
  options.items.forEach((count, p) => checkInteger(where, `options.items[${p}]`, count, 0));
  checkInteger(where, 'options.consumers', options.consumers, 1);
  checkInteger(where, 'options.capacity', options.capacity, 0);
  checkArray(where, 'received', received);
  return network((net) => {
    const queue = net.channel<Item>('queue', { buffer: options.capacity });
    options.items.forEach((count, id) => net.spawn(produce(id, count, queue.writer())));
    for (let c = 0; c < options.consumers; c++) {
      const into = (received[c] ??= []);
      // With no producers nobody writes `queue`: a consumer would wait on it forever.
      if (options.items.length > 0) net.spawn(consume(queue.reader(), into), { place: 'main' });
    }
  });
}

/** What each consumer received, in the order it received it: `producerConsumerNetwork` run in this thread. */
export async function producerConsumer(options: ProducerConsumerOptions): Promise<Item[][]> {
  const received: Item[][] = [];
  await run(producerConsumerNetwork(options, received), { runtime: local() });
  return received;
}

/** Every item produced, sorted by producer then seq: what the consumers must have got between them. */
export function producedItems(options: Pick<ProducerConsumerOptions, 'items'>): Item[] {
  return options.items.flatMap((count, producer) => Array.from({ length: count }, (_, seq) => ({ producer, seq })));
}
