/**
 * 16 — a picture of a network: toMermaid draws it (processes as nodes with their placement and
 * replicas, channels as edges with name, buffer kind and capacity); the live variant, from a
 * snapshot of an observed run, adds each stage's state and items and each channel's depth, and
 * colours the stages. Here the sum pauses after ten values, so the picture shows the pipeline
 * backed up behind it. Paste either into a ```mermaid block (GitHub renders it); toDot gives
 * Graphviz instead, and `cspflow graph <module>` prints them for a network module.
 *
 * Run: npx tsx --conditions=cspflow-source examples/16-network-picture.ts
 */
import { network, process, start, toMermaid, type Reader, type Writer } from 'cspflow';

const numbers = process('numbers', async (n: number, out: Writer<number>) => {
  for (let i = 1; i <= n; i++) await out.write(i);
});

const square = process('square', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x * x);
});

/** Adds up its input, pausing after ten values until `resume` settles (`paused` says it has). */
const sum = process('sum', async (input: Reader<number>, paused: () => void, resume: Promise<void>) => {
  let total = 0;
  let seen = 0;
  for await (const x of input) {
    total += x;
    if (++seen === 10) {
      paused();
      await resume;
    }
  }
  console.log(`\nsum of squares 1..100 = ${total}`);
});

let paused = (): void => {};
const hasPaused = new Promise<void>((resolve) => (paused = resolve));
let resume = (): void => {};
const resumed = new Promise<void>((resolve) => (resume = resolve));

const net = network((n) => {
  const xs = n.channel<number>('xs', { buffer: 4 });
  const squares = n.channel<number>('squares', { buffer: 4 });
  n.spawn(numbers(100, xs.writer()));
  n.spawn(square(xs.reader(), squares.writer()), { replicas: 2 });
  n.spawn(sum(squares.reader(), paused, resumed), { place: 'main' });
});

console.log(toMermaid(net));

const handle = start(net, { observe: true });
await hasPaused;
// One turn of the event loop: every process that can still move has moved.
await new Promise((resolve) => setImmediate(resolve));
console.log(`\n${toMermaid(net, { snapshot: handle.snapshot() })}`);
resume();
await handle.done;
