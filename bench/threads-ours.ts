/**
 * cspflow's thread runtime in the three scenarios of bench/threads.ts; each function runs one
 * network on threads() and returns its own timing (worker start-up excluded: the clock starts
 * when the first value reaches the main thread).
 */
import { process, RetiredError, type Reader, type Writer } from '../src/index.js';
import { network, run, type Network } from '../src/index.js';
import { threads } from '../src/threads/index.js';
import { farmWorker, farmWorkerSingle, ponger, streamSource, streamSourceSingle } from './threads-procs.js';

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
export async function oursStream(n: number, batched: boolean, warm = n >> 2): Promise<Timed> {
  let t0 = 0;
  let t1 = 0;
  let sum = 0;
  let count = 0;
  let seen = 0;
  const net = network((net) => {
    const c = net.channel<number>('stream', { buffer: 1 << 16 });
    net.spawn(batched ? streamSource(n + warm, 1024, c.writer()) : streamSourceSingle(n + warm, c.writer()));
    net.spawn(
      process('bench-stream-sink', async (r: Reader<number>) => {
        for (;;) {
          let values: number[];
          try {
            values = await r.readMany(1 << 16);
          } catch (error) {
            if (error instanceof RetiredError) break;
            throw error;
          }
          if (seen < warm) {
            seen += values.length;
            if (seen >= warm) {
              t0 = performance.now();
              count = seen - warm;
            }
            continue;
          }
          count += values.length;
          for (let i = 0; i < values.length; i++) sum += values[i] as number;
        }
        t1 = performance.now();
      })(c.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, 1);
  if (count !== n) throw new Error(`stream: got ${count} values, expected ${n}`);
  return { ms: t1 - t0, check: sum };
}

/** Rendezvous ping-pong: the main thread writes a ping, a worker answers with a pong, n times. */
export async function oursPingPong(n: number, home: 'main' | 'reader' = 'main'): Promise<Timed> {
  let ms = 0;
  const net = network((net) => {
    const pings = net.channel<number>('pings', { home });
    const pongs = net.channel<number>('pongs', { home });
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
export async function oursFarm(n: number): Promise<Timed> {
  let ms = 0;
  let sum = 0;
  const net = network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: 4096 });
    const results = net.channel<number>('results', { buffer: 4096 });
    net.spawn(farmWorker(tasks.reader(), results.writer()), { replicas: 2 });
    net.spawn(
      process('bench-farmer', async (out: Writer<number>, back: Reader<number>) => {
        // Feeds `count` tasks while taking the results (feeding first would fill both buffers).
        const round = async (count: number): Promise<number> => {
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
        };
        await round(Math.max(1, n >> 3)); // warm-up, not timed
        const t0 = performance.now();
        sum = await round(n);
        ms = performance.now() - t0;
        out.retire();
      })(tasks.writer(), results.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, 2);
  return { ms, check: sum };
}

/**
 * The farm as one would first write it: one task per message — the farmer writes each task with
 * `write`, each worker takes them with `for await` and answers each with `write`. The fair peer of
 * a pool's one `run()` per task (the batched farm above is the fair peer of batched pool calls).
 */
export async function oursFarmSingle(n: number): Promise<Timed> {
  let ms = 0;
  let sum = 0;
  const net = network((net) => {
    const tasks = net.channel<number>('tasks', { buffer: 4096 });
    const results = net.channel<number>('results', { buffer: 4096 });
    net.spawn(farmWorkerSingle(tasks.reader(), results.writer()), { replicas: 2 });
    net.spawn(
      process('bench-farmer-single', async (out: Writer<number>, back: Reader<number>) => {
        const round = async (count: number): Promise<number> => {
          let total = 0;
          const feeding = (async () => {
            for (let i = 0; i < count; i++) await out.write(i);
          })();
          for (let got = 0; got < count; got++) total += await back.read();
          await feeding;
          return total;
        };
        await round(Math.max(1, n >> 3)); // warm-up, not timed
        const t0 = performance.now();
        sum = await round(n);
        ms = performance.now() - t0;
        out.retire();
      })(tasks.writer(), results.reader()),
      { place: 'main' },
    );
  });
  await onThreads(net, 2);
  return { ms, check: sum };
}
