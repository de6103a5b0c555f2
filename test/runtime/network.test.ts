/**
 * Networks on both runtimes: the same declaration runs on local() and threads(), errors keep
 * their identity across threads, and the run settles only once every process has ended.
 */
import { describe, expect, it } from 'vitest';
import { DeadlockError, PoisonError, process, type Reader, type Writer } from '../../src/index.js';
import { CodecError, local, network, run, start, type Runtime } from '../../src/index.js';
import { threads, WorkerCrashedError } from '../../src/threads/index.js';
import { countForever, crashMidWrite, echo, emit, failOnThree, numbers, pickyCodec, relay, square, writeFunction } from '../fixtures/pipeline.js';

const MODULE = new URL('../fixtures/pipeline.ts', import.meta.url).href;
const pool = (size = 2): Runtime => threads({ size, modules: [MODULE] });

function collect<T>(into: T[]) {
  return process('collect', async (input: Reader<T>) => {
    for await (const v of input) into.push(v);
  });
}

function squares(out: number[], n: number) {
  return network((net) => {
    const a = net.channel<number>('a', { buffer: 4 });
    const b = net.channel<number>('b');
    net.spawn(numbers(n, a.writer()));
    net.spawn(square(a.reader(), b.writer()));
    net.spawn(collect(out)(b.reader()), { place: 'main' });
  });
}

describe('a network runs the same on local() and threads()', () => {
  it('a pipeline gives the same values in the same order', async () => {
    const onLocal: number[] = [];
    const onThreads: number[] = [];
    await run(squares(onLocal, 50), { runtime: local() });
    await run(squares(onThreads, 50), { runtime: pool() });
    expect(onThreads).toEqual(onLocal);
    expect(onLocal).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
  });

  it('runs a TypeScript process module in the workers (loaded through tsx)', async () => {
    expect(MODULE.endsWith('.ts')).toBe(true);
    const out: number[] = [];
    await run(squares(out, 5), { runtime: pool(1) });
    expect(out).toEqual([0, 1, 4, 9, 16]);
  });
});

describe("a channel can live with its reader (home: 'reader')", () => {
  it('a rendezvous ping-pong between main and a worker gives the same answers as with every channel on main', async () => {
    for (const home of ['main', 'reader'] as const) {
      const answers: number[] = [];
      const net = network((n) => {
        const pings = n.channel<number>('pings', { home });
        const pongs = n.channel<number>('pongs', { home });
        n.spawn(echo(pings.reader(), pongs.writer()));
        n.spawn(
          process('pinger', async (out: Writer<number>, back: Reader<number>) => {
            for (let i = 0; i < 20; i++) {
              await out.write(i);
              answers.push(await back.read());
            }
          })(pings.writer(), pongs.reader()),
          { place: 'main' },
        );
      });
      await run(net, { runtime: pool(1) });
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1000));
    }
  });

  it('refuses a placement it cannot keep: readers in two workers', async () => {
    const net = network((n) => {
      const a = n.channel<number>('split', { home: 'reader' });
      n.spawn(numbers(4, a.writer()), { place: 'main' });
      n.spawn(square(a.reader(), n.channel<number>('out', { buffer: 8 }).writer()), { replicas: 2 });
    });
    await expect(run(net, { runtime: pool(2) })).rejects.toThrow(/readers run in 2 threads/);
  });
});

describe('errors cross threads intact', () => {
  it('a process error in a worker rejects the run with its class, message, stack, fields, process and worker', async () => {
    const net = network((n) => {
      const a = n.channel<number>('a');
      n.spawn(numbers(10, a.writer()), { place: 'main' });
      n.spawn(failOnThree(a.reader()));
    });
    const error = (await run(net, { runtime: pool(1) }).catch((e: unknown) => e)) as TypeError & { code: string; process: string; worker: number };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('three is not allowed');
    expect(error.stack).toContain('pipeline.ts');
    expect(error.code).toBe('E_THREE');
    expect(error.process).toBe('fail-on-three');
    expect(typeof error.worker).toBe('number');
  });

  it('poison from a failing worker process reaches a reader on the main thread as PoisonError with the cause', async () => {
    const seen: unknown[] = [];
    const net = network((n) => {
      const a = n.channel<number>('a');
      const b = n.channel<number>('b');
      n.spawn(numbers(10, a.writer()), { place: 'main' });
      n.spawn(failOnThree(a.reader()));
      n.spawn(
        process('waiter', async (r: Reader<number>) => {
          await r.read().catch((e: unknown) => seen.push(e));
        })(b.reader()),
        { place: 'main' },
      );
      n.spawn(process('holder', async (_w: unknown) => {})(b.writer()), { place: 'main' });
    });
    await expect(run(net, { runtime: pool(1) })).rejects.toThrow('three is not allowed');
    expect(seen.length).toBe(1);
  });

  it('a deadlock spanning worker threads is detected and names the blocked processes', async () => {
    const net = network((n) => {
      const a = n.channel<number>('a');
      const b = n.channel<number>('b');
      n.spawn(relay(a.reader(), b.writer()));
      n.spawn(relay(b.reader(), a.writer()));
    });
    const error = (await run(net, { runtime: pool(2) }).catch((e: unknown) => e)) as DeadlockError;
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.blocked.map((b) => b.process).sort()).toEqual(['relay', 'relay']);
    expect(error.blocked.flatMap((b) => b.channels).sort()).toEqual(['a', 'b']);
  });

  it('a process name no module registered is an error, not an import', async () => {
    const stranger = process('stranger', async () => {});
    const net = network((n) => n.spawn(stranger()));
    await expect(run(net, { runtime: pool(1) })).rejects.toThrow(/no process named "stranger"/);
  });
});

describe('failures at the thread boundary', () => {
  it('a worker that dies mid-write poisons its ends with WorkerCrashedError, and the run rejects with it', async () => {
    const got: number[] = [];
    let ended: unknown;
    const net = network((n) => {
      const a = n.channel<number>('a');
      n.spawn(crashMidWrite(a.writer()));
      n.spawn(
        process('reader', async (r: Reader<number>) => {
          try {
            got.push(await r.read());
            got.push(await r.read());
            got.push(await r.read());
          } catch (error) {
            ended = error;
          }
        })(r()),
        { place: 'main' },
      );
      function r() {
        return a.reader();
      }
    });
    const error = await run(net, { runtime: pool(1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toMatch(/the worker thread blew up|exited/);
    expect(got).toEqual([1, 2]);
    expect(ended).toBeInstanceOf(PoisonError);
    expect((ended as PoisonError).reason).toBeInstanceOf(WorkerCrashedError);
  });

  it('a value the codec cannot carry fails the write with CodecError naming the channel', async () => {
    const net = network((n) => {
      const a = n.channel<unknown>('values');
      n.spawn(writeFunction(a.writer()));
      n.spawn(process('sink', async (r: Reader<unknown>) => void (await r.read().catch(() => {})))(a.reader()), { place: 'main' });
    });
    const error = (await run(net, { runtime: pool(1) }).catch((e: unknown) => e)) as CodecError;
    expect(error).toBeInstanceOf(CodecError);
    expect(error.channel).toBe('values');
    expect(error.direction).toBe('encode');
    expect(error.message).toMatch(/function/);
  });

  it('a frame that fails to decode poisons the channel with the cause, and the run rejects with it', async () => {
    const seen: unknown[] = [];
    const net = network((n) => {
      const a = n.channel<unknown>('picky', { codec: pickyCodec, buffer: 4 });
      n.spawn(emit(['fine', 'poison-pill', 'never'], a.writer()));
      n.spawn(
        process('reader', async (r: Reader<unknown>) => {
          try {
            for await (const v of r) seen.push(v);
          } catch (error) {
            seen.push(error);
          }
        })(a.reader()),
        { place: 'main' },
      );
    });
    const error = (await run(net, { runtime: pool(1) }).catch((e: unknown) => e)) as CodecError;
    expect(error).toBeInstanceOf(CodecError);
    expect(error.direction).toBe('decode');
    expect(error.channel).toBe('picky');
    expect(seen[0]).toBe('fine');
    const last = seen.at(-1) as PoisonError;
    expect(last).toBeInstanceOf(PoisonError);
    expect(last.reason).toBeInstanceOf(CodecError);
    expect(seen).not.toContain('never');
  });
});

describe('graceful stop', () => {
  it('aborting retires the sources: everything written is drained, in order, and the run resolves', async () => {
    for (const runtime of [local(), pool(1)]) {
      const controller = new AbortController();
      const out: number[] = [];
      const net = network((n) => {
        const a = n.channel<number>('a', { buffer: 8 });
        const b = n.channel<number>('b', { buffer: 8 });
        n.spawn(countForever(a.writer()));
        n.spawn(square(a.reader(), b.writer()));
        n.spawn(
          process('collect-then-abort', async (r: Reader<number>) => {
            for await (const v of r) {
              out.push(v);
              if (out.length === 100) controller.abort();
            }
          })(b.reader()),
          { place: 'main' },
        );
      });
      await run(net, { runtime, signal: controller.signal });
      expect(out.length).toBeGreaterThanOrEqual(100);
      expect(out).toEqual(Array.from({ length: out.length }, (_, i) => i * i));
    }
  });

  it('await using stops a started network gracefully', async () => {
    const out: number[] = [];
    {
      await using handle = start(
        network((n) => {
          const a = n.channel<number>('a', { buffer: 2 });
          n.spawn(countForever(a.writer()));
          n.spawn(collect(out)(a.reader()), { place: 'main' });
        }),
        { runtime: pool(1) },
      );
      void handle;
    }
    expect(out).toEqual(Array.from({ length: out.length }, (_, i) => i));
  });
});
