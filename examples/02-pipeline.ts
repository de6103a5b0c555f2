/**
 * A three-stage pipeline with a buffered channel. Each process retires its ends when it returns,
 * so the end of the numbers flows down the pipeline and every stage ends by itself.
 *
 * Run: npx tsx --conditions=cspflow-source examples/02-pipeline.ts
 */
import { chan, par, process, type Reader, type Writer } from 'cspflow';

const numbers = process('numbers', async (n: number, out: Writer<number>) => {
  for (let i = 1; i <= n; i++) await out.write(i);
});

const square = process('square', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x * x);
});

const sum = process('sum', async (input: Reader<number>, result: { total: number }) => {
  for await (const x of input) result.total += x;
});

const raw = chan<number>({ name: 'raw', buffer: 16 });
const squares = chan<number>({ name: 'squares' });
const result = { total: 0 };
await par(numbers(10, raw.writer()), square(raw.reader(), squares.writer()), sum(squares.reader(), result));
console.log(`sum of squares 1..10 = ${result.total}`);
