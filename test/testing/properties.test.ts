import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { alt, chan, isTermination, skip, par, process, PoisonError, type Reader, type Writer } from 'cspflow';
import {
  buildNetwork,
  channelCommandsArb,
  channelKindArb,
  expectedOutput,
  faultPlanArb,
  InjectedFault,
  messagesArb,
  networkArb,
  runChannelModel,
  runScheduled,
  ScheduleFailure,
  scheduleFromString,
  scheduledFaults,
  schedulerArb,
  seededParams,
  writerScriptsArb,
  type BuiltNetwork,
  type Tagged,
} from 'cspflow/testing';

describe('schedulerArb with fast-check', () => {
  /** A lost update: a bad cell hands its value to two incrementers before either writes back. */
  async function lostUpdate(): Promise<number> {
    const get = chan<number>({ name: 'get' });
    const set = chan<number>({ name: 'set' });
    let final = 0;
    const inc = process('inc', async (from: Reader<number>, to: Writer<number>) => {
      const v = await from.read();
      await to.write(v + 1);
    });
    // A bad cell: it hands the value out twice before any write comes back.
    const badCell = process('cell', async (out: Writer<number>, back: Reader<number>) => {
      const value = 0;
      await out.write(value);
      await out.write(value);
      final = Math.max(await back.read(), await back.read());
    });
    await par(badCell(get.writer(), set.reader()), inc(get.reader(), set.writer()), inc(get.reader(), set.writer()));
    return final;
  }

  test('a failing property prints the schedule as a replay string; pasting it back repeats the failure', async () => {
    const details = await fc.check(
      fc.asyncProperty(schedulerArb(), async (s) => {
        const { value } = await runScheduled(lostUpdate, s);
        if (value !== 2) throw new Error(`lost update: final value ${value}`);
      }),
      seededParams('lost update', { seed: 5 }),
    );
    expect(details.failed).toBe(true);
    const report = fc.defaultReportMessage(details) ?? '';
    const replay = /replay: "([^"]*)"/.exec(report)?.[1];
    expect(replay).toBeDefined();
    const again = await runScheduled(lostUpdate, scheduleFromString(replay as string));
    expect(again.value).not.toBe(2);
  });

  test('shrinking ends at a schedule with few departures from natural order', async () => {
    const details = await fc.check(
      fc.asyncProperty(schedulerArb(), async (s) => {
        const { value } = await runScheduled(async () => {
          const c = chan<number>({ name: 'c' });
          const got: number[] = [];
          const w = process('w', async (out: Writer<number>, v: number) => {
            await alt([skip()]);
            await out.write(v);
          });
          const r = process('r', async (from: Reader<number>) => {
            for await (const v of from) got.push(v);
          });
          await par(w(c.writer(), 1), w(c.writer(), 2), w(c.writer(), 3), r(c.reader()));
          return got;
        }, s);
        if (value[0] === 3) throw new Error('3 came first');
      }),
      seededParams('shrink', { seed: 11 }),
    );
    expect(details.failed).toBe(true);
    const printed = String(details.counterexample?.[0]);
    const replay = /replay: "([^"]*)"/.exec(printed)?.[1] ?? '';
    expect(replay.split(',').filter((c) => c !== '' && c !== '0').length).toBeLessThanOrEqual(2);
  });
});

describe('arbitraries', () => {
  test('generated networks produce their expected output on every lossless channel kind, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(networkArb(), messagesArb(undefined, { maxLength: 8 }), schedulerArb(), async (spec, values, s) => {
        const { value } = await runScheduled(() => buildNetwork(spec, values).run(), s);
        expect(value).toEqual(expectedOutput(spec, values));
      }),
      seededParams('networks', { numRuns: 150 }),
    );
  });

  test('fault plans: a poisoned, retired or crashed network still settles — never hangs — and what got out is right', async () => {
    await fc.assert(
      fc.asyncProperty(networkArb({ kinds: ['pipeline', 'farm'] }), messagesArb(undefined, { maxLength: 8 }), faultPlanArb(), schedulerArb(), async (spec, values, plan, s) => {
        let built: BuiltNetwork | null = null;
        const got: number[] = [];
        const outcome = await runScheduled(
          async () => {
            built = buildNetwork(spec, values);
            got.push(...(await built.run()));
          },
          s,
          { faults: scheduledFaults(plan, () => built?.targets ?? []) },
        ).then(
          () => 'settled',
          (e: unknown) => e,
        );
        if (outcome !== 'settled') {
          expect(outcome).toBeInstanceOf(ScheduleFailure);
          const cause = (outcome as ScheduleFailure).cause;
          // Only the injected crash is a real error; poison and retire end the network quietly.
          expect(cause).toBeInstanceOf(InjectedFault);
        }
        const expected = expectedOutput(spec, values);
        if (spec.kind === 'pipeline') expect(expected.slice(0, got.length)).toEqual(got);
        else expect(got.every((v) => expected.includes(v))).toBe(true);
        if (plan.length === 0) expect(got).toEqual(expected);
      }),
      seededParams('fault plans', { numRuns: 150 }),
    );
  });

  test('FIFO per writer holds on one any-to-any channel, for every lossless kind, under any schedule', async () => {
    const write = process('writer', async (out: Writer<Tagged<number>>, script: readonly Tagged<number>[]) => {
      for (const m of script) await out.write(m);
    });
    const read = process('reader', async (from: Reader<Tagged<number>>, into: Tagged<number>[]) => {
      for await (const m of from) into.push(m);
    });
    await fc.assert(
      fc.asyncProperty(channelKindArb(), writerScriptsArb(), fc.integer({ min: 1, max: 3 }), schedulerArb(), async (kind, scripts, readers, s) => {
        const { value } = await runScheduled(async () => {
          const c = chan<Tagged<number>>({ buffer: kind.buffer });
          const got: Tagged<number>[][] = Array.from({ length: readers }, () => []);
          await par(scripts.map((sc) => write(c.writer(), sc)), got.map((into) => read(c.reader(), into)));
          return got;
        }, s);
        expect(value.flat().length).toBe(scripts.flat().length);
        for (const got of value) for (let w = 0; w < scripts.length; w++) {
          const seqs = got.filter((m) => m.writer === w).map((m) => m.seq);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        }
      }),
      seededParams('fifo per writer', { numRuns: 120 }),
    );
  });
});

describe('model-based: the real channel against the sequential model', () => {
  test('every channel kind matches the model, command by command, under any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(channelKindArb({ kinds: ['rendezvous', 'fixed', 'dropping', 'sliding'] }), channelCommandsArb(), schedulerArb(), async (kind, cmds, s) => {
        await runScheduled(() => runChannelModel(kind, cmds), s);
      }),
      seededParams('channel model', { numRuns: 200 }),
    );
  });

  test('the model catches a wrong channel: poison must reject reads', async () => {
    // Sanity check of the harness itself: isTermination and PoisonError are what the model compares.
    const c = chan<number>({ buffer: 1 });
    const w = c.writer();
    const r = c.reader();
    w.poison('x');
    const e = await r.read().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PoisonError);
    expect(isTermination(e)).toBe(true);
  });
});
