/**
 * A scheduled run whose channels were made outside its callback controls nothing and explores
 * nothing: it must fail and say why, instead of passing (issue 8, item 8).
 */
import { describe, expect, test } from 'vitest';
import { chan, par, process, useScheduler, type Reader, type Writer } from 'cspflow';
import { runScheduled, ScheduleFailure, scheduleFromString, TestScheduler } from 'cspflow/testing';

const producer = process('producer', async (out: Writer<number>, n: number) => {
  for (let i = 0; i < n; i++) await out.write(i);
});
const consumer = process('consumer', async (from: Reader<number>, into: number[]) => {
  for await (const v of from) into.push(v);
});

async function failureOf(run: Promise<unknown>): Promise<ScheduleFailure> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScheduleFailure);
  return error as ScheduleFailure;
}

describe('runScheduled refuses a run it does not control', () => {
  test('processes given ends of a channel made outside the callback: the run fails, naming the process and the fix', async () => {
    const outside = chan<number>({ name: 'outside' });
    const w = outside.writer();
    const r = outside.reader();
    const failure = await failureOf(
      runScheduled(async () => {
        const got: number[] = [];
        await par(producer(w, 3), consumer(r, got));
        return got;
      }, TestScheduler.seeded(1)),
    );
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect((failure.cause as Error).message).toMatch(/process "producer"/);
    expect((failure.cause as Error).message).toMatch(/Writer<"outside"/);
    expect((failure.cause as Error).message).toMatch(/make the channels inside the callback/);
  });

  test('ends made inside the callback on a channel made outside: the run fails where the end is made', async () => {
    const outside = chan<number>({ name: 'outside', buffer: 1 });
    const failure = await failureOf(
      runScheduled(async () => {
        const w = outside.writer();
        await w.write(1);
        return outside.reader().read();
      }, scheduleFromString('')),
    );
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect(failure.message).toMatch(/channel\.writer\(\): channel "outside" was made under another scheduler/);
    expect((failure.cause as { code?: string }).code).toBe('ERR_CSPFLOW_INVALID_ARGUMENT');
  });

  test('a network made inside the callback still passes, even one that never goes through the scheduler', async () => {
    const run = await runScheduled(async () => {
      const c = chan<number>({ buffer: 2 });
      const w = c.writer();
      w.tryWrite(5);
      return c.reader().tryRead();
    }, scheduleFromString(''));
    expect(run.value).toEqual({ ok: true, value: 5 });
    expect(run.steps).toBe(0);
  });

  test('under useScheduler, an end of a channel made before it is refused: made now, or given to a process started now', async () => {
    const before = chan<number>({ name: 'before', buffer: 1 });
    const w = before.writer();
    const restore = useScheduler(TestScheduler.seeded(3));
    try {
      expect(() => before.reader()).toThrow(/channel "before" was made under another scheduler/);
      await expect(par(producer(w, 1))).rejects.toThrow(/ends of channels made under the scheduler in force/);
    } finally {
      restore();
    }
  });

  test('bad arguments to runScheduled and TestScheduler are named', async () => {
    await expect(runScheduled('net' as never, TestScheduler.seeded(1))).rejects.toThrow(/network must be a function/);
    await expect(runScheduled(() => 1, {} as never)).rejects.toThrow(/scheduler must be a TestScheduler/);
    await expect(runScheduled(() => 1, TestScheduler.seeded(1), { maxStep: 3 } as never)).rejects.toThrow(/Did you mean "maxSteps"/);
    expect(() => TestScheduler.seeded('42' as never)).toThrow(/TestScheduler\.seeded\(seed, options\): seed must be an integer, got "42"/);
    expect(() => TestScheduler.seeded(1, { timers: 'soon' } as never)).toThrow(/"when-idle" or "eager"/);
    expect(() => TestScheduler.scripted([1, -2])).toThrow(/scheduleFromString/);
  });
});
