import { describe, expect, test } from 'vitest';
import { alt, chan, input, par, process, skip, timeout, type Reader, type Writer } from 'cspflow';
import {
  decodeChoices,
  encodeChoices,
  labels,
  runScheduled,
  ScheduleFailure,
  scheduleFromString,
  StalledError,
  StepLimitError,
  TestScheduler,
  traceText,
} from 'cspflow/testing';

const producer = process('producer', async (out: Writer<string>, tag: string, n: number) => {
  for (let i = 0; i < n; i++) await out.write(`${tag}${i}`);
});
const consumer = process('consumer', async (from: Reader<string>, into: string[]) => {
  for await (const v of from) into.push(v);
});

/** Two producers racing into one rendezvous channel: the interleaving is the scheduler's to choose. */
async function race(): Promise<string[]> {
  const c = chan<string>({ name: 'c' });
  const got: string[] = [];
  await par(producer(c.writer(), 'a', 3), producer(c.writer(), 'b', 3), consumer(c.reader(), got));
  return got;
}

describe('replay strings', () => {
  test('encode runs and drop trailing zeros; decode inverts', () => {
    expect(encodeChoices([1, 0, 0, 0, 0, 2, 2, 0, 0])).toBe('1,0*4,2,2');
    expect(decodeChoices('1,0*4,2,2')).toEqual([1, 0, 0, 0, 0, 2, 2]);
    expect(encodeChoices([0, 0])).toBe('');
    expect(decodeChoices('')).toEqual([]);
    expect(() => decodeChoices('1,x')).toThrow(SyntaxError);
  });
});

describe('TestScheduler', () => {
  test('the all-natural schedule runs wake-ups in the order they were queued (step-order trace)', async () => {
    const run = await runScheduled(race, scheduleFromString(''));
    expect(run.value).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(run.replay).toBe('');
    expect(new Set(labels(run.trace))).toEqual(new Set(['producer write c', 'consumer read c']));
  });

  test('a seed decides the interleaving; the same seed gives the same run, trace and replay', async () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const one = await runScheduled(race, TestScheduler.seeded(seed));
      const two = await runScheduled(race, TestScheduler.seeded(seed));
      expect(two.value).toEqual(one.value);
      expect(two.trace).toEqual(one.trace);
      expect(two.replay).toBe(one.replay);
      outcomes.add(one.value.join(' '));
      // FIFO per writer holds under every schedule.
      expect(one.value.filter((v) => v.startsWith('a'))).toEqual(['a0', 'a1', 'a2']);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });

  test('replaying a seeded run with its replay string repeats it exactly', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const original = await runScheduled(race, TestScheduler.seeded(seed));
      const replayed = await runScheduled(race, scheduleFromString(original.replay));
      expect(replayed.value).toEqual(original.value);
      expect(replayed.trace).toEqual(original.trace);
      expect(replayed.replay).toBe(original.replay);
    }
  });

  test('the scheduler decides which ready guard a fair alt takes', async () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 16; seed++) {
      const index = await runScheduled(async () => {
        const a = chan<number>({ buffer: 1 });
        const b = chan<number>({ buffer: 1 });
        const wa = a.writer();
        const wb = b.writer();
        await wa.write(1);
        await wb.write(2);
        return (await alt([input(a.reader()), input(b.reader())])).index;
      }, TestScheduler.seeded(seed));
      seen.add(index.value);
    }
    expect([...seen].sort()).toEqual([0, 1]);
  });

  test('timers run on virtual time: a 1-hour timeout fires at once, at time 3 600 000', async () => {
    const run = await runScheduled(async () => (await alt([timeout(3_600_000)])).index, TestScheduler.seeded(1));
    expect(run.value).toBe(0);
    expect(run.time).toBe(3_600_000);
    expect(traceText(run.trace)).toContain('@3600000 timer 3600000ms');
  });

  test('a timeout loses to a message that is ready, and wins when none comes', async () => {
    const slow = process('slow', async (out: Writer<number>) => {
      await alt([timeout(50)]);
      await out.write(1);
    });
    const waiter = process('waiter', async (from: Reader<number>, ms: number, log: string[]) => {
      const r = await alt([input(from), timeout(ms)]);
      log.push(r.index === 0 ? 'message' : 'timeout');
      if (r.index === 1) await from.read();
    });
    for (const [ms, expected] of [[10, 'timeout'], [100, 'message']] as const) {
      const run = await runScheduled(async () => {
        const c = chan<number>({ name: 'c' });
        const log: string[] = [];
        await par(slow(c.writer()), waiter(c.reader(), ms, log));
        return log;
      }, TestScheduler.seeded(3));
      expect(run.value).toEqual([expected]);
    }
  });

  test('a network waiting on something the scheduler does not control is reported as stalled', async () => {
    const error = await runScheduled(async () => {
      const c = chan<number>({ name: 'held-outside' });
      const w = c.writer(); // held by the main program: it could still write, so no deadlock is reported
      void w;
      await par(consumer(c.reader() as unknown as Reader<string>, []));
    }, TestScheduler.seeded(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScheduleFailure);
    expect((error as ScheduleFailure).cause).toBeInstanceOf(StalledError);
    expect((error as ScheduleFailure).message).toContain('blocked on read of "held-outside"');
  });

  test('a livelock hits the step limit', async () => {
    const spin = process('spin', async (a: Writer<number>, b: Reader<number>) => {
      for (;;) {
        await a.write(1);
        await b.read();
      }
    });
    const echo = process('echo', async (a: Reader<number>, b: Writer<number>) => {
      for await (const v of a) await b.write(v);
    });
    const error = await runScheduled(async () => {
      const x = chan<number>();
      const y = chan<number>();
      await par(spin(x.writer(), y.reader()), echo(x.reader(), y.writer()));
    }, TestScheduler.seeded(1), { maxSteps: 500 }).catch((e: unknown) => e);
    expect((error as ScheduleFailure).cause).toBeInstanceOf(StepLimitError);
  });

  test('a failure report carries the seed, the replay string and the last wake-ups', async () => {
    const error = await runScheduled(async () => {
      const c = chan<number>({ name: 'lonely' });
      await par(consumer(c.reader() as unknown as Reader<string>, []), process('idle-writer', async (_w: Writer<number>) => {
        await alt([timeout(5)]);
        throw new Error('boom');
      })(c.writer()));
    }, TestScheduler.seeded(77)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScheduleFailure);
    const message = (error as ScheduleFailure).message;
    expect(message).toMatch(/^Error: boom/);
    expect(message).toContain('seed: 77');
    expect(message).toContain(`replay: "${(error as ScheduleFailure).replay}"`);
    expect(message).toContain('timer 5ms');
  });

  test('runs cannot overlap: the ambient runtime is one per process', async () => {
    const first = runScheduled(race, TestScheduler.seeded(1));
    await expect(runScheduled(race, TestScheduler.seeded(2))).rejects.toThrow(/one at a time/);
    await first;
  });

  test("'eager' timers let a timeout fire while other wake-ups are still queued; 'when-idle' ones never do", async () => {
    const late = process('late', async (out: Writer<number>) => {
      await alt([skip()]);
      await alt([skip()]);
      await out.write(7);
    });
    const wait = process('wait', async (from: Reader<number>, log: string[]) => {
      const r = await alt([input(from), timeout(1)]);
      log.push(r.index === 0 ? 'message' : 'timeout');
    });
    const outcomes = (timers: 'eager' | 'when-idle') => async (): Promise<Set<string>> => {
      const seen = new Set<string>();
      for (let seed = 0; seed < 30; seed++) {
        const run = await runScheduled(async () => {
          const c = chan<number>({ buffer: 1 });
          const log: string[] = [];
          await par(late(c.writer()), wait(c.reader(), log));
          return log[0] as string;
        }, TestScheduler.seeded(seed, { timers }));
        seen.add(run.value);
      }
      return seen;
    };
    expect([...(await outcomes('when-idle')())]).toEqual(['message']);
    expect([...(await outcomes('eager')())].sort()).toEqual(['message', 'timeout']);
  });
});
