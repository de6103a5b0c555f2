/**
 * cspflow's thread runtime in the three scenarios of bench/threads.ts; each function runs one
 * network on threads() and returns its own timing (worker start-up excluded: the clock starts
 * when the first value reaches the main thread).
 */
import { network, process, run, type Network, type ProcessInstance, type Reader, type SpawnOptions, type Writer } from '../src/index.js';
import { threads } from '../src/threads/index.js';
import { farmWorker, farmWorkerSingle, ponger, streamSource, streamSourceSingle, timedSink } from './threads-procs.js';

const MODULE = new URL('./threads-procs.ts', import.meta.url).href;

export interface Timed {
  readonly ms: number;
  readonly check: number;
}

/** Runs `net` on a pool of its own, closed after the run (a pool otherwise outlives its run). */
async function onThreads(net: Network, size: number): Promise<void> {
  await using pool = threads({ size, modules: [MODULE] });
  await run(net, { runtime: pool });
}

/** Stream of n small values from a worker to the main thread through one buffered channel. */
export function oursStream(n: number, batched: boolean, warm = n >> 2): Promise<Timed> {
  return timedStream('stream', n, warm, 1, (w) => (batched ? streamSource(n + warm, 1024, w) : streamSourceSingle(n + warm, w)), { place: 'main' });
}

/**
 * Stream of n small values, batched, from a worker to a worker through one buffered channel: on a
 * pool of 2 the writer and the reader run in different workers — with the default placement the
 * channel lives with its reader and values go over a direct route between the workers; with
 * `home: 'main'` it lives on main and every value crosses twice —; on a pool of 1 they share a
 * worker (the channel lives there, and no value crosses). Timed in the reader's worker.
 */
export function oursWorkerStream(n: number, size: 1 | 2, home: 'main' | 'default' = 'default', warm = n >> 2): Promise<Timed> {
  return timedStream('worker stream', n, warm, size, (w) => streamSource(n + warm, 1024, w), {}, home === 'main' ? { home } : {});
}

/** n values (after `warm` untimed ones) from `source` to a timedSink placed as `sink` says, on a pool of `size`. */
async function timedStream(
  what: string,
  n: number,
  warm: number,
  size: number,
  source: (w: Writer<number>) => ProcessInstance,
  sink: SpawnOptions,
  home: { readonly home?: 'main' } = {},
): Promise<Timed> {
  let got: number[] = [];
  const net = network((net) => {
    const c = net.channel<number>('stream', { buffer: 1 << 16, ...home });
    const result = net.channel<number[]>('result');
    net.spawn(source(c.writer()));
    net.spawn(timedSink(warm, c.reader(), result.writer()), sink);
    net.spawn(
      process('bench-stream-result', async (r: Reader<number[]>) => {
        got = await r.read();
      })(result.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, size);
  const [ms, count, sum] = got as [number, number, number];
  if (count !== n) throw new Error(`${what}: got ${count} values, expected ${n}`);
  return { ms, check: sum };
}

/** Rendezvous ping-pong: the main thread writes a ping, a worker answers with a pong, n times. */
export async function oursPingPong(n: number, home: 'main' | 'reader' | 'default' = 'main'): Promise<Timed> {
  let ms = 0;
  const net = network((net) => {
    const options = home === 'default' ? {} : { home };
    const pings = net.channel<number>('pings', options);
    const pongs = net.channel<number>('pongs', options);
    net.spawn(ponger(pings.reader(), pongs.writer()));
    net.spawn(
      process('bench-pinger', async (out: Writer<number>, back: Reader<number>) => {
        for (let i = 0; i < 2000; i++) {
          await out.write(-1);
          await back.read();
        }
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          await out.write(i);
          await back.read();
        }
        ms = performance.now() - t0;
      })(pings.writer(), pongs.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, 1);
  return { ms, check: n };
}

/** A farm: n tiny tasks on one any-to-any channel to 2 worker threads, results back. */
export function oursFarm(n: number): Promise<Timed> {
  return timedFarm(n, farmWorker, async (count, out, back) => {
    // Feeds `count` tasks while taking the results (feeding first would fill both buffers).
    let total = 0;
    const feeding = (async () => {
      for (let i = 0; i < count; i += 1024) {
        const chunk = new Array<number>(Math.min(1024, count - i));
        for (let j = 0; j < chunk.length; j++) chunk[j] = i + j;
        await out.writeMany(chunk);
      }
    })();
    for (let got = 0; got < count; ) {
      const values = await back.readMany(1 << 16);
      got += values.length;
      for (let i = 0; i < values.length; i++) total += values[i] as number;
    }
    await feeding;
    return total;
  });
}

/**
 * The farm as one would first write it: one task per message — the farmer writes each task with
 * `write`, each worker takes them with `for await` and answers each with `write`. The fair peer of
 * a pool's one `run()` per task (the batched farm above is the fair peer of batched pool calls).
 */
export function oursFarmSingle(n: number): Promise<Timed> {
  return timedFarm(n, farmWorkerSingle, async (count, out, back) => {
    let total = 0;
    const feeding = (async () => {
      for (let i = 0; i < count; i++) await out.write(i);
    })();
    for (let got = 0; got < count; got++) total += await back.read();
    await feeding;
    return total;
  });
}

type FarmWorker = (tasks: Reader<number>, results: Writer<number>) => ProcessInstance;
type FarmRound = (count: number, out: Writer<number>, back: Reader<number>) => Promise<number>;

/** Two replicas of `worker` fed by a farmer on main: an untimed warm-up round, then n tasks timed. */
async function timedFarm(n: number, worker: FarmWorker, round: FarmRound): Promise<Timed> {
  let ms = 0;
  let sum = 0;
  const net = network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: 4096 });
    const results = net.channel<number>('results', { buffer: 4096 });
    net.spawn(worker(tasks.reader(), results.writer()), { replicas: 2 });
    net.spawn(
      process('bench-farmer', async (out: Writer<number>, back: Reader<number>) => {
        await round(Math.max(1, n >> 3), out, back); // warm-up, not timed
        const t0 = performance.now();
        sum = await round(n, out, back);
        ms = performance.now() - t0;
        out.retire();
      })(tasks.writer(), results.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, 2);
  return { ms, check: sum };
}
