/**
 * The network of example 06, in a module of its own so worker threads can load its processes by
 * name: numbers → square (two replicas) → sum. Nothing here says where it runs.
 */
import { process, type Reader, type Writer } from 'cspflow';
import { network } from 'cspflow';

export const numbers = process('numbers', async (n: number, out: Writer<number>) => {
  for (let i = 1; i <= n; i++) await out.write(i);
});

export const square = process('square', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x * x);
});

export const sum = process('sum', async (input: Reader<number>, report: (total: number, count: number) => void) => {
  let total = 0;
  let count = 0;
  for await (const x of input) {
    total += x;
    count++;
  }
  report(total, count);
});

/** Sum of squares 1..n, with the squaring fanned out to two replicas. */
export function sumOfSquares(n: number, report: (total: number, count: number) => void) {
  return network((net) => {
    const xs = net.channel<number>('xs', { buffer: 16 });
    const squares = net.channel<number>('squares', { buffer: 16 });
    net.spawn(numbers(n, xs.writer()));
    net.spawn(square(xs.reader(), squares.writer()), { replicas: 2 });
    // `sum` reports through a callback, a closure: it stays on the main thread.
    net.spawn(sum(squares.reader(), report), { place: 'main' });
  });
}
