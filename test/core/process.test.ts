/**
 * src/core/process.ts: the process factory, par/seq/spawn details the conformance suite leaves out.
 */
import { describe, expect, it } from 'vitest';
import { chan, par, PoisonError, process, RetiredError, seq, spawn, type Reader, type Writer } from '../../src/index.js';

const failWith = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );

describe('process factory (PR1)', () => {
  it('needs a non-empty string name', () => {
    expect(() => process('', async () => {})).toThrow(TypeError);
    expect(() => process(7 as unknown as string, async () => {})).toThrow(/name must be a non-empty string/);
  });

  it('the factory carries its name; an instance knows its args and the ends among them, also in arrays', () => {
    const stage = process('stage', async (_inp: Reader<number>, _k: number, _outs: Writer<number>[]) => {});
    expect(stage.processName).toBe('stage');
    const a = chan<number>();
    const b = chan<number>();
    const r = a.reader();
    const w1 = a.writer();
    const w2 = b.writer();
    const instance = stage(r, 3, [w1, w2]);
    expect(instance.name).toBe('stage');
    expect(instance.args).toEqual([r, 3, [w1, w2]]);
    expect(instance.ends).toEqual([r, w1, w2]);
  });

  it('an end inside an object argument is not the process’s: it stays open when the process ends', async () => {
    const p = process('configured', async (cfg: { out: Writer<number> }) => {
      await cfg.out.write(1);
    });
    const c = chan<number>({ buffer: 2 });
    const w = c.writer();
    const r = c.reader();
    await par(p({ out: w }));
    expect(r.tryRead()).toEqual({ ok: true, value: 1 });
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' });
    await w.write(2);
  });

  it('a body that throws synchronously rejects par, naming the process, and poisons its ends', async () => {
    const boom = new Error('sync');
    const p = process('sync-thrower', (_out: Writer<number>) => {
      throw boom;
    });
    const c = chan<number>();
    const r = c.reader();
    expect(await failWith(par(p(c.writer())))).toBe(boom);
    expect((boom as Error & { process?: string }).process).toBe('sync-thrower');
    await expect(r.read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
  });

  it('a body may be a plain function returning nothing', async () => {
    const log: string[] = [];
    const p = process('plain', (name: string) => {
      log.push(name);
    });
    await par(p('ran'));
    expect(log).toEqual(['ran']);
  });

  it('an error that already names a process, or is frozen, is passed on untouched', async () => {
    const named = Object.assign(new Error('named'), { process: 'elsewhere' });
    const frozen = Object.freeze(new Error('frozen'));
    const p = process('p', async (e: Error) => {
      throw e;
    });
    expect(await failWith(par(p(named)))).toBe(named);
    expect(named.process).toBe('elsewhere');
    expect(await failWith(par(p(frozen)))).toBe(frozen);
    expect(Object.hasOwn(frozen, 'process')).toBe(false);
  });

  it('D3: an end made after the first await is not the process’s: it stays open when the process ends', async () => {
    const c = chan<number>({ buffer: 1 });
    const r = c.reader();
    let late: Writer<number> | null = null;
    const p = process('late-maker', async () => {
      await Promise.resolve();
      late = c.writer();
      await late.write(1);
    });
    await par(p());
    expect(await r.read()).toBe(1);
    await (late as unknown as Writer<number>).write(2);
    expect(await r.read()).toBe(2);
  });
});

describe('ends made by a process (PR2)', () => {
  it('one it gives to a child is handed over; one it keeps is still its own, retired when it ends', async () => {
    const given = chan<number>({ buffer: 4 });
    const kept = chan<number>({ buffer: 4 });
    const rGiven = given.reader();
    const rKept = kept.reader();
    const log: string[] = [];
    const child = process('child', async (out: Writer<number>) => {
      await out.write(1);
    });
    const parent = process('parent', async (gate: Reader<number>) => {
      const out = kept.writer();
      await par(child(given.writer()));
      log.push(`after child: given ${JSON.stringify(rGiven.tryRead())}, ${JSON.stringify(rGiven.tryRead())}`);
      await out.write(2);
      await gate.read();
    });
    const gate = chan<number>();
    const gw = gate.writer();
    const run = par(parent(gate.reader()));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(log).toEqual(['after child: given {"ok":true,"value":1}, {"ok":false,"reason":"retired"}']);
    expect(rKept.tryRead()).toEqual({ ok: true, value: 2 });
    expect(rKept.tryRead()).toEqual({ ok: false, reason: 'empty' });
    await gw.write(0);
    await run;
    expect(rKept.tryRead()).toEqual({ ok: false, reason: 'retired' });
  });
});

describe('par', () => {
  it('an empty par resolves', async () => {
    await par();
    await par([]);
  });

  it('rejects with a real error even when every other process ended by poison first', async () => {
    const boom = new Error('late failure');
    const c = chan<number>();
    const poisoner = process('poisoner', async (out: Writer<number>) => {
      out.poison('stop');
    });
    const failer = process('failer', async (inp: Reader<number>) => {
      await inp.read().catch(() => undefined);
      throw boom;
    });
    expect(await failWith(par(poisoner(c.writer()), failer(c.reader())))).toBe(boom);
  });
});

describe('seq (PR7)', () => {
  it('stops at a real error and poisons every end of every process not run (arrays and shared ends too)', async () => {
    const boom = new Error('boom');
    const ran: string[] = [];
    const step = process('step', async (name: string, ..._ends: unknown[]) => {
      ran.push(name);
    });
    const failing = process('failing', async () => {
      throw boom;
    });
    const a = chan<number>();
    const b = chan<number>();
    const d = chan<number>();
    const ra = a.reader();
    const wb = b.writer();
    const rd = d.reader();
    const shared = a.writer();
    const error = await failWith(seq(step('one'), failing(), step('two', shared, b.reader()), [step('three', [shared, d.writer()])]));
    expect(error).toBe(boom);
    expect(ran).toEqual(['one']);
    await expect(ra.read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
    await expect(wb.write(1)).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
    await expect(rd.read()).rejects.toMatchObject({ name: 'PoisonError', reason: boom });
  });

  it('stops at a termination and retires the reader ends of the processes not run', async () => {
    const c = chan<number>();
    const d = chan<number>({ buffer: 1 });
    c.writer().retire();
    const drain = process('drain', async (inp: Reader<number>) => {
      for (;;) await inp.read();
    });
    const wd = d.writer();
    await seq(drain(c.reader()), drain(d.reader()));
    const error = await failWith(wd.write(1));
    expect(error).toBeInstanceOf(RetiredError);
    expect((error as RetiredError).why).toBe('readers-retired');
  });

  it('an empty seq resolves', async () => {
    await seq();
  });

  it('keeps the poison origin when a process not run is terminated', async () => {
    const c = chan<number>({ name: 'source' });
    const d = chan<number>({ name: 'sink' });
    c.writer().poison('halt');
    const take = process('take', async (inp: Reader<number>) => {
      await inp.read();
    });
    const give = process('give', async (out: Writer<number>) => {
      await out.write(1);
    });
    const rd = d.reader();
    await seq(take(c.reader()), give(d.writer()));
    const error = await failWith(rd.read());
    expect(error).toBeInstanceOf(PoisonError);
    expect((error as PoisonError).origin.channel).toBe('source');
  });
});

describe('spawn (PR8)', () => {
  it('starts the body at once, before spawn returns', async () => {
    const log: string[] = [];
    const p = process('eager', async () => {
      log.push('body started');
      await Promise.resolve();
      log.push('body ended');
    });
    const done = spawn(p());
    log.push('spawn returned');
    await done;
    expect(log).toEqual(['body started', 'spawn returned', 'body ended']);
  });
});
