/**
 * D4: deadlock detection costs what changed, not the size of the network. Counted, not timed:
 * the processes a scan examines (`runtime.deadlocks.visits`) per event stay the same whether
 * 10 or 2,000 other processes are blocked, and a deadlock beside them is still found.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chan, DeadlockError, par, process, type Reader, type Writer } from '../../src/index.js';
import { currentRuntime } from '../../src/core/runtime.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const idle = process('idle', async (inp: Reader<number>) => {
  await inp.read().catch(() => {});
});

const echo = process('echo', async (inp: Reader<number>, out: Writer<number>) => {
  for await (const v of inp) await out.write(v);
});

const pass = process('pass', async (inp: Reader<number>, out: Writer<number>) => {
  await out.write(await inp.read());
});

/** P processes blocked on channels the main program could still write; returns how to end them. */
async function blocked(p: number): Promise<() => Promise<void>> {
  const quiet = Array.from({ length: p }, () => chan<number>());
  const writers = quiet.map((c) => c.writer());
  const running = par(...quiet.map((c) => idle(c.reader())));
  await turn();
  return async () => {
    for (const w of writers) w.retire();
    await running;
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const end of cleanups.splice(0)) await end();
});

/** Processes examined per event: E turns of the event loop, each one value through `echo`. */
async function visitsPerEvent(p: number, events: number): Promise<number> {
  cleanups.push(await blocked(p));
  const inp = chan<number>();
  const out = chan<number>();
  const w = inp.writer();
  const r = out.reader();
  const running = par(echo(inp.reader(), out.writer()));
  cleanups.push(async () => {
    w.retire();
    r.retire();
    await running;
  });
  await turn();
  const detector = currentRuntime().deadlocks;
  const before = detector.visits;
  for (let i = 0; i < events; i++) {
    await turn();
    await w.write(i);
    expect(await r.read()).toBe(i);
  }
  await turn();
  return (detector.visits - before) / events;
}

describe('deadlock detection at scale', () => {
  it('examines the same few processes per event with 10 or 2,000 other processes blocked', async () => {
    const small = await visitsPerEvent(10, 50);
    for (const end of cleanups.splice(0)) await end();
    const large = await visitsPerEvent(2_000, 50);
    expect(small).toBeLessThanOrEqual(4);
    expect(large).toBe(small);
  });

  it('still reports a deadlock beside 2,000 blocked processes, examining only its members', async () => {
    cleanups.push(await blocked(2_000));
    const detector = currentRuntime().deadlocks;
    const before = detector.visits;
    const a = chan<number>({ name: 'a' });
    const b = chan<number>({ name: 'b' });
    const error = await par(pass(a.reader(), b.writer()), pass(b.reader(), a.writer())).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).blocked.map((x) => x.process)).toEqual(['pass', 'pass']);
    expect(detector.visits - before).toBeLessThanOrEqual(4);
  });

  it('looks for the way out of a fan-in from its oldest end: the reader made first, not the writers since', async () => {
    const c = chan<number>({ maxPending: 2_000 });
    const r = c.reader();
    const writer = process('writer', async (out: Writer<number>) => {
      await out.write(1);
    });
    // The last writer is busy elsewhere (not waiting on any channel) at the first scan, then waits too.
    let open = (): void => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const late = process('late-writer', async (out: Writer<number>) => {
      await gate;
      await out.write(1);
    });
    const detector = currentRuntime().deadlocks;
    const before = detector.visits;
    const writers = par(...Array.from({ length: 1_000 }, () => writer(c.writer())), late(c.writer()));
    await turn();
    open();
    // Two turns: the scan the late write asks for is queued behind the first.
    await turn();
    await turn();
    const visits = detector.visits - before;
    let sum = 0;
    for (let i = 0; i < 1_001; i++) sum += await r.read();
    await writers;
    expect(sum).toBe(1_001);
    // Two scans; each finds the main program's reader end first. Walking the ends newest first,
    // the second scan would examine every one of the 1,000 waiting writers.
    expect(visits).toBeLessThanOrEqual(4);
  });

  it('examines a bounded number of processes per value when 1,000 writers wait on one reader', async () => {
    const c = chan<number>({ maxPending: 2_000 });
    const r = c.reader();
    const writer = process('writer', async (out: Writer<number>) => {
      for (let i = 0; i < 3; i++) await out.write(1);
    });
    const writers = par(...Array.from({ length: 1_000 }, () => writer(c.writer())));
    await turn();
    const detector = currentRuntime().deadlocks;
    const before = detector.visits;
    let sum = 0;
    for (let i = 0; i < 3_000; i++) {
      sum += await r.read();
      if (i % 100 === 0) await turn();
    }
    await writers;
    expect(sum).toBe(3_000);
    expect((detector.visits - before) / 3_000).toBeLessThanOrEqual(1);
  });
});
