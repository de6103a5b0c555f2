/**
 * The ends given to a process as it starts are kept as given (not in a set): each is held once,
 * even when given twice, counts for deadlock detection, and is let go once the process ends.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chan, DeadlockError, par, process, RetiredError, seq, type Reader, type Writer } from '../../src/index.js';
import { currentRuntime } from '../../src/core/runtime.js';

describe('ends given to a process', () => {
  it('an end given twice is held once and retires once its process ends', async () => {
    const c = chan<number>();
    const w = c.writer();
    const r = c.reader();
    let seen = '';
    let held = -1;
    const twice = process('twice', async (ends: Writer<number>[], again: Writer<number>) => {
      // The body starts synchronously, while its record is the runtime's current one.
      held = [...(currentRuntime().current?.ends ?? [])].length;
      seen = inspect(again);
      await ends[0]?.write(1);
    });
    const run = par(twice([w, w], w));
    expect(await r.read()).toBe(1);
    await run;
    expect(held).toBe(1);
    expect(seen).toContain('held by "twice"');
    expect(seen).not.toContain('"twice", "twice"');
    const error = await r.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetiredError);
    expect((error as RetiredError).why).toBe('writers-retired');
  });

  it('a deadlock between processes given their ends in arrays, with repeats, is reported', async () => {
    const a = chan<number>();
    const b = chan<number>();
    const waitFirst = process('wait-first', async (ins: Reader<number>[], _outs: Writer<number>[]) => {
      await ins[0]?.read();
    });
    const run = par(waitFirst([a.reader(), a.reader()], [b.writer()]), waitFirst([b.reader()], [a.writer()]));
    await expect(run).rejects.toBeInstanceOf(DeadlockError);
  });

  it('an end a seq keeps and its current process hold is let go after the last process that has it', async () => {
    const c = chan<number>();
    const w = c.writer();
    const r = c.reader();
    const one = process('one', async (out: Writer<number>, v: number) => {
      await out.write(v);
    });
    const run = seq(one(w, 1), one(w, 2));
    expect(await r.read()).toBe(1);
    expect(await r.read()).toBe(2);
    await run;
    const error = await r.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetiredError);
  });
});
