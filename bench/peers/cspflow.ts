/**
 * cspflow core: rendezvous channels from chan(), processes from process() run by par(), which
 * retire their ends when they end normally. Stream rows: plain write/read, and writeMany/readMany
 * batches of STREAM_BATCH (the consumer reads until readMany rejects with RetiredError).
 */
import { RetiredError, chan, fixed, par, process as defineProcess, type Reader, type Writer } from '../../src/index.js';
import { type BenchCase, type Observed, STREAM_BATCH, STREAM_BUFFER, expectValue } from '../scenarios.js';

const prefix = defineProcess('prefix', async (d: Reader<number>, a: Writer<number>, n: number) => {
  await a.write(0);
  for (let i = 1; i < n; i++) await a.write(await d.read());
  expectValue('cspflow prefix last', await d.read(), n);
});

const delta = defineProcess('delta', async (a: Reader<number>, c: Writer<number>, b: Writer<number>, n: number) => {
  for (let i = 0; i < n; i++) {
    const v = await a.read();
    await c.write(v);
    await b.write(v);
  }
});

const succ = defineProcess('succ', async (b: Reader<number>, d: Writer<number>, n: number) => {
  for (let i = 0; i < n; i++) await d.write((await b.read()) + 1);
});

const consume = defineProcess('consume', async (c: Reader<number>, n: number, seen: { count: number; sum: number }) => {
  for (let i = 0; i < n; i++) { seen.sum += await c.read(); seen.count++; }
});

async function commstime(n: number): Promise<Observed> {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => chan<number>({ name }));
  const seen = { count: 0, sum: 0 };
  await par(
    prefix(d.reader(), a.writer(), n),
    delta(a.reader(), c.writer(), b.writer(), n),
    succ(b.reader(), d.writer(), n),
    consume(c.reader(), n, seen),
  );
  return seen;
}

/** Ends quietly at end-of-stream (RetiredError); rethrows anything else. */
function endOfStream(e: unknown): void {
  if (!(e instanceof RetiredError)) throw e;
}

const producer = defineProcess('producer', async (out: Writer<number>, m: number) => {
  for (let i = 1; i <= m; i++) await out.write(i);
});

const consumer = defineProcess('consumer', async (inp: Reader<number>, seen: { count: number; sum: number }) => {
  // try around the loop, not each read: an extra async frame per read would bill the adapter to cspflow.
  try {
    for (;;) { seen.sum += await inp.read(); seen.count++; }
  } catch (e) {
    endOfStream(e);
  }
});

const batchProducer = defineProcess('batch-producer', async (out: Writer<number>, m: number) => {
  for (let i = 1; i <= m; ) {
    const batch: number[] = [];
    for (const end = Math.min(m, i + STREAM_BATCH - 1); i <= end; i++) batch.push(i);
    await out.writeMany(batch);
  }
});

const batchConsumer = defineProcess('batch-consumer', async (inp: Reader<number>, seen: { count: number; sum: number }) => {
  try {
    for (;;) {
      const vs = await inp.readMany(STREAM_BATCH);
      for (const v of vs) seen.sum += v;
      seen.count += vs.length;
    }
  } catch (e) {
    endOfStream(e);
  }
});

async function stream(m: number, batched: boolean): Promise<Observed> {
  const ch = chan<number>({ buffer: fixed(STREAM_BUFFER), name: 'stream' });
  const seen = { count: 0, sum: 0 };
  await par(
    (batched ? batchProducer : producer)(ch.writer(), m),
    (batched ? batchConsumer : consumer)(ch.reader(), seen),
  );
  return seen;
}

export const cspflowCases: readonly BenchCase[] = [
  { library: 'cspflow', scenario: 'commstime', variant: '', run: commstime },
  { library: 'cspflow', scenario: 'stream', variant: 'write/read', run: (m) => stream(m, false) },
  { library: 'cspflow', scenario: 'stream', variant: `writeMany/readMany ${STREAM_BATCH}`, run: (m) => stream(m, true) },
];
