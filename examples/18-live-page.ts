/**
 * 18 — the live page: start(net, { inspect }) serves a small page on 127.0.0.1 showing the
 * network's graph, each channel's depth and rate, each process's state, the threads, and the last
 * error or deadlock — updated live, with nothing to build or install. This network ticks along
 * until you stop it (Ctrl-C: its source retires, the rest drains, the page says so).
 *
 * Run: npx tsx --conditions=cspflow-source examples/18-live-page.ts [port]   then open the printed address
 *  or: npx cspflow run <module> --inspect [port]
 */
import { network, process, start, type Reader, type Writer } from 'cspflow';

const ticker = process('ticker', async (out: Writer<number>) => {
  for (let i = 0; ; i++) {
    await out.write(i);
    if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

const square = process('square', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(x * x);
});

const total = process('total', async (input: Reader<number>) => {
  let sum = 0;
  for await (const x of input) sum += x;
  console.log(`stopped; the squares added up to ${sum}`);
});

const net = network((n) => {
  const numbers = n.channel<number>('numbers', { buffer: 64 });
  const squares = n.channel<number>('squares', { buffer: 8 });
  n.spawn(ticker(numbers.writer()));
  n.spawn(square(numbers.reader(), squares.writer()), { replicas: 2 });
  n.spawn(total(squares.reader()));
});

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) globalThis.process.once(signal, () => stop.abort());
const handle = start(net, { inspect: { port: Number(globalThis.process.argv[2] ?? 0) }, signal: stop.signal });
const { url } = await (handle.inspector as NonNullable<typeof handle.inspector>);
console.log(`live view: ${url}`);
await handle.done;
