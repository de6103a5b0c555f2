/**
 * The micro-benchmark `cspflow bench` runs on the user's machine: commstime (four processes in a
 * ring of rendezvous channels, the classic occam benchmark) and a stream through a buffer of 1024,
 * cspflow beside a minimal promise channel (the least a promise-based channel can cost), in one
 * process, interleaved, after a warm-up. The repository's bench/ (peers, threads) is not shipped.
 */
import { chan, par, process as defineProcess, RetiredError, type Reader, type Writer } from '../index.js';

/** A minimal promise channel: rendezvous (capacity 0) or buffered; no poison, alt or checks. */
class FloorChannel<T> {
  private readonly buf: T[] = [];
  private readonly readers: ((v: T | null) => void)[] = [];
  private readonly writers: { v: T; taken: () => void }[] = [];
  private closed = false;
  constructor(private readonly capacity = 0) {}

  write(v: T): Promise<void> {
    const r = this.readers.shift();
    if (r !== undefined) r(v);
    else if (this.buf.length < this.capacity) this.buf.push(v);
    else return new Promise((taken) => this.writers.push({ v, taken }));
    return Promise.resolve();
  }

  read(): Promise<T | null> {
    const w = this.writers.shift();
    if (this.buf.length > 0) {
      const v = this.buf.shift() as T;
      if (w !== undefined) {
        this.buf.push(w.v);
        w.taken();
      }
      return Promise.resolve(v);
    }
    if (w !== undefined) {
      w.taken();
      return Promise.resolve(w.v);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((r) => this.readers.push(r));
  }

  close(): void {
    this.closed = true;
    for (let r = this.readers.shift(); r !== undefined; r = this.readers.shift()) r(null);
  }
}

export interface BenchCase {
  readonly scenario: 'commstime' | 'stream';
  readonly library: 'cspflow' | 'floor';
  /** Runs once at size n; resolves with the sum the consumer saw (checked). */
  run(n: number): Promise<number>;
  /** Communications per unit of n. */
  readonly ops: number;
  expected(n: number): number;
}

const prefix = defineProcess('prefix', async (d: Reader<number>, a: Writer<number>, n: number) => {
  await a.write(0);
  for (let i = 1; i < n; i++) await a.write(await d.read());
  await d.read();
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
const consume = defineProcess('consume', async (c: Reader<number>, n: number, seen: { sum: number }) => {
  for (let i = 0; i < n; i++) seen.sum += await c.read();
});
const producer = defineProcess('producer', async (out: Writer<number>, m: number) => {
  for (let i = 1; i <= m; i++) await out.write(i);
});
const consumer = defineProcess('consumer', async (input: Reader<number>, seen: { sum: number }) => {
  try {
    for (;;) seen.sum += await input.read();
  } catch (error) {
    if (!(error instanceof RetiredError)) throw error;
  }
});

async function cspflowCommstime(n: number): Promise<number> {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => chan<number>({ name })) as [ReturnType<typeof chan<number>>, ReturnType<typeof chan<number>>, ReturnType<typeof chan<number>>, ReturnType<typeof chan<number>>];
  const seen = { sum: 0 };
  await par(prefix(d.reader(), a.writer(), n), delta(a.reader(), c.writer(), b.writer(), n), succ(b.reader(), d.writer(), n), consume(c.reader(), n, seen));
  return seen.sum;
}

async function floorCommstime(n: number): Promise<number> {
  const [a, b, c, d] = [0, 1, 2, 3].map(() => new FloorChannel<number>()) as FloorChannel<number>[] as [FloorChannel<number>, FloorChannel<number>, FloorChannel<number>, FloorChannel<number>];
  let sum = 0;
  await Promise.all([
    (async () => {
      await a.write(0);
      for (let i = 1; i < n; i++) await a.write((await d.read()) as number);
      await d.read();
    })(),
    (async () => {
      for (let i = 0; i < n; i++) {
        const v = (await a.read()) as number;
        await c.write(v);
        await b.write(v);
      }
    })(),
    (async () => {
      for (let i = 0; i < n; i++) await d.write(((await b.read()) as number) + 1);
    })(),
    (async () => {
      for (let i = 0; i < n; i++) sum += (await c.read()) as number;
    })(),
  ]);
  return sum;
}

async function cspflowStream(m: number): Promise<number> {
  const ch = chan<number>({ buffer: 1024, name: 'stream' });
  const seen = { sum: 0 };
  await par(producer(ch.writer(), m), consumer(ch.reader(), seen));
  return seen.sum;
}

async function floorStream(m: number): Promise<number> {
  const ch = new FloorChannel<number>(1024);
  let sum = 0;
  await Promise.all([
    (async () => {
      for (let i = 1; i <= m; i++) await ch.write(i);
      ch.close();
    })(),
    (async () => {
      for (let v = await ch.read(); v !== null; v = await ch.read()) sum += v;
    })(),
  ]);
  return sum;
}

const commstimeSum = (n: number): number => (n * (n - 1)) / 2;
const streamSum = (m: number): number => (m * (m + 1)) / 2;

export const BENCH_CASES: readonly BenchCase[] = [
  { scenario: 'commstime', library: 'floor', run: floorCommstime, ops: 4, expected: commstimeSum },
  { scenario: 'commstime', library: 'cspflow', run: cspflowCommstime, ops: 4, expected: commstimeSum },
  { scenario: 'stream', library: 'floor', run: floorStream, ops: 1, expected: streamSum },
  { scenario: 'stream', library: 'cspflow', run: cspflowStream, ops: 1, expected: streamSum },
];

export interface BenchResult {
  readonly scenario: string;
  readonly library: string;
  readonly n: number;
  /** ns per communication (commstime) or per value (stream), one per repetition. */
  readonly samples: readonly number[];
  readonly median: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs every case `reps` times, interleaved (rotated per repetition), after a warm-up at a quarter size. */
export async function runBench(sizes: { readonly commstime: number; readonly stream: number }, reps: number, progress: (done: number) => void): Promise<BenchResult[]> {
  const sizeOf = (c: BenchCase): number => sizes[c.scenario];
  const once = async (c: BenchCase, n: number): Promise<number> => {
    await new Promise((r) => setImmediate(r));
    const t0 = globalThis.process.hrtime.bigint();
    const sum = await c.run(n);
    const ns = Number(globalThis.process.hrtime.bigint() - t0);
    if (sum !== c.expected(n)) throw new Error(`${c.library} ${c.scenario}: the consumer saw ${sum}, expected ${c.expected(n)}`);
    return ns / (n * c.ops);
  };
  for (const c of BENCH_CASES) await once(c, Math.max(1, Math.round(sizeOf(c) / 4)));
  const samples = BENCH_CASES.map((): number[] => []);
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < BENCH_CASES.length; k++) {
      const i = (k + r) % BENCH_CASES.length;
      (samples[i] as number[]).push(await once(BENCH_CASES[i] as BenchCase, sizeOf(BENCH_CASES[i] as BenchCase)));
    }
    progress(r + 1);
  }
  return BENCH_CASES.map((c, i) => ({ scenario: c.scenario, library: c.library, n: sizeOf(c), samples: samples[i] as number[], median: median(samples[i] as number[]) }));
}
