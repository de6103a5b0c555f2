/**
 * Every public entry point of the core checks its arguments: a wrong kind of value is a TypeError,
 * a right kind out of range a RangeError, each with code ERR_CSPFLOW_INVALID_ARGUMENT, naming the
 * call, the parameter and the value, and saying what is allowed (issue 8, items 5 and 6).
 */
import { describe, expect, it } from 'vitest';
import { alt, chan, fixed, input, output, par, priAlt, process, seq, skip, sliding, spawn, timeout, type Guard, type Reader, type Writer } from '../../src/index.js';
import { show } from '../../src/core/validate.js';

/** What `fn` threw (synchronously) or its promise rejected with. */
async function failure(fn: () => unknown): Promise<Error & { code?: string; parameter?: string }> {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return error as Error;
  }
  if (result instanceof Promise) {
    return result.then(
      () => {
        throw new Error('expected a rejection, got a resolution');
      },
      (error: unknown) => error as Error,
    );
  }
  throw new Error(`expected a failure, got ${String(result)}`);
}

async function expectArgumentError(fn: () => unknown, kind: typeof TypeError | typeof RangeError, parameter: string, ...message: RegExp[]): Promise<void> {
  const error = await failure(fn);
  expect(error).toBeInstanceOf(kind);
  expect(error.code).toBe('ERR_CSPFLOW_INVALID_ARGUMENT');
  expect(error.parameter).toBe(parameter);
  for (const m of message) expect(error.message).toMatch(m);
}

const stage = process('stage', async (_out: Writer<number>) => {});

describe('par, seq and spawn need processes (item 5)', () => {
  it.each([
    ['par', (p: unknown) => par(p as never)],
    ['seq', (p: unknown) => seq(p as never)],
    ['spawn', (p: unknown) => spawn(p as never)],
  ] as const)('%s(factory) is a TypeError telling to call the factory, and runs nothing', async (name, call) => {
    let ran = false;
    const factory = process('numbers', async () => {
      ran = true;
    });
    await expectArgumentError(() => call(factory), TypeError, 'argument 1', new RegExp(`^${name}\\(`), /the process factory "numbers"/, /numbers\(…\) instead of numbers/);
    expect(ran).toBe(false);
  });

  it.each([
    ['par', (p: unknown) => par(p as never)],
    ['seq', (p: unknown) => seq(p as never)],
    ['spawn', (p: unknown) => spawn(p as never)],
  ] as const)('%s(42) is a TypeError saying what a process is', async (_, call) => {
    await expectArgumentError(() => call(42), TypeError, 'argument 1', /must be a process/, /got 42\./);
  });

  it('names the position of a bad item inside an array argument, and a promise is told to be awaited', async () => {
    const c = chan<number>({ buffer: 1 });
    await expectArgumentError(() => par([stage(c.writer()), 'oops' as never]), TypeError, 'argument 1[1]', /got "oops"/);
    await expectArgumentError(() => par(Promise.resolve() as never), TypeError, 'argument 1', /got a Promise/, /await it/);
    await expectArgumentError(() => spawn([stage(c.writer())] as never), TypeError, 'process', /To start several, use par/);
  });

  it('a plain function that returns a process instead of being one fails the par', async () => {
    const c = chan<number>({ buffer: 1 });
    await expectArgumentError(() => par(() => stage(c.writer())), TypeError, 'the result of argument 1', /par\(stage\(…\)\)/);
  });

  it('process(name, fn) needs a function body', async () => {
    await expectArgumentError(() => process('p', 42 as never), TypeError, 'fn', /^process\(name, fn\): fn must be a function/, /got 42/);
    await expectArgumentError(() => process('', async () => {}), TypeError, 'name', /non-empty string/, /got ""/);
  });
});

describe('chan(options) (item 6)', () => {
  it.each([
    [{ buffer: 'x' }, TypeError, 'options.buffer', [/options\.buffer must be an integer >= 0 or a buffer made by fixed\(n\), dropping\(n\) or sliding\(n\)/, /got "x"/]],
    [{ buffer: null }, TypeError, 'options.buffer', [/got null/, /sliding\(4\)/]],
    [{ buffer: -1 }, RangeError, 'options.buffer', [/an integer >= 0, got -1/]],
    [{ buffer: 1.5 }, RangeError, 'options.buffer', [/got 1\.5/]],
    [{ buffer: { kind: 'ring', capacity: 2 } }, TypeError, 'options.buffer', [/got \{ kind: "ring", capacity: 2 \}/]],
    [{ maxPending: '8' }, TypeError, 'options.maxPending', [/got "8"/]],
    [{ name: 7 }, TypeError, 'options.name', [/non-empty string/]],
  ] as [object, typeof TypeError, string, RegExp[]][])('chan(%o) is refused', async (options, kind, parameter, message) => {
    await expectArgumentError(() => chan(options as never), kind, parameter, /^chan\(options\): /, ...message);
  });

  it('options must be an object', async () => {
    await expectArgumentError(() => chan(4 as never), TypeError, 'options', /options must be an object of options \(buffer, name, maxPending\) or left out, got 4/);
    await expectArgumentError(() => chan(null as never), TypeError, 'options', /got null/);
  });

  it('an unknown option key is refused, naming the known ones and the near miss', async () => {
    await expectArgumentError(() => chan({ bufer: 4 } as never), TypeError, 'options.bufer', /unknown option "bufer"/, /"buffer", "name", "maxPending"/, /Did you mean "buffer"\?/);
  });

  it('valid options still make channels', () => {
    expect(chan({ buffer: sliding(2), name: 'ok', maxPending: 3 }).name).toBe('ok');
    expect(chan({ buffer: fixed(0) }).name).toMatch(/^chan\d+$/);
    expect(chan(undefined).name).toMatch(/^chan\d+$/);
  });
});

describe('alt and guards (item 6)', () => {
  it('alt(undefined) and alt(notArray) reject, saying guards must be an array', async () => {
    await expectArgumentError(() => alt(undefined as never), TypeError, 'guards', /^alt\(guards, options\): guards must be an array of guards/, /got undefined/);
    await expectArgumentError(() => priAlt('x' as never), TypeError, 'guards', /^priAlt\(guards, options\)/, /got "x"/);
  });

  it('alt([42]) names the bad guard, not "when: false"', async () => {
    await expectArgumentError(() => alt([42 as unknown as Guard]), TypeError, 'guards[0]', /guards\[0\] must be one of the guards made by/, /got 42/);
    const c = chan<number>();
    await expectArgumentError(() => alt([skip(), c.reader() as unknown as Guard]), TypeError, 'guards[1]', /Wrap the end in a guard/);
  });

  it('alt options are checked: an unknown key, a signal that is not an AbortSignal', async () => {
    await expectArgumentError(() => alt([skip()], { sigal: 1 } as never), TypeError, 'options.sigal', /Did you mean "signal"/);
    await expectArgumentError(() => alt([skip()], { signal: {} } as never), TypeError, 'options.signal', /an AbortSignal/);
  });

  it('input(nonEnd), output(nonEnd), and an end of the wrong side', async () => {
    const c = chan<number>();
    await expectArgumentError(() => input(42 as unknown as Reader<number>), TypeError, 'reader', /got 42/);
    await expectArgumentError(() => output('w' as unknown as Writer<number>, 1), TypeError, 'writer', /got "w"/);
    await expectArgumentError(() => input(c.writer() as unknown as Reader<number>), TypeError, 'reader', /a reading end/, /output\(writer, value\)/);
    await expectArgumentError(() => output(c.reader() as unknown as Writer<number>, 1), TypeError, 'writer', /a writing end/);
    await expectArgumentError(() => input(c.reader(), { when: 'yes' } as never), TypeError, 'options.when', /true or false/);
    await expectArgumentError(() => skip({ whenn: true } as never), TypeError, 'options.whenn', /Did you mean "when"/);
  });

  it("timeout('x') is a TypeError; timeout(-1) a RangeError", async () => {
    await expectArgumentError(() => timeout('x' as never), TypeError, 'ms', /timeout\(ms, options\): ms must be a finite number of milliseconds >= 0, got "x"/);
    await expectArgumentError(() => timeout(-1), RangeError, 'ms', /got -1/);
  });
});

describe('channel operations (item 6)', () => {
  it('readMany(max) needs an integer >= 1; a string is a TypeError', async () => {
    const c = chan<number>({ buffer: 1 });
    await expectArgumentError(() => c.reader().readMany('3' as never), TypeError, 'max', /readMany\(max, options\): max must be an integer >= 1, got "3"/);
    await expectArgumentError(() => c.reader().readMany(0), RangeError, 'max', /got 0/);
  });

  it('read/write options are checked', async () => {
    const c = chan<number>({ buffer: 1 });
    await expectArgumentError(() => c.reader().read({ signl: 1 } as never), TypeError, 'options.signl', /read\(options\): unknown option "signl"/);
    await expectArgumentError(() => c.writer().write(1, { signal: 'now' } as never), TypeError, 'options.signal', /got "now"/);
    await expectArgumentError(() => c.reader().read(5 as never), TypeError, 'options', /got 5/);
  });

  it('writeMany needs an array', async () => {
    const c = chan<number>({ buffer: 1 });
    await expectArgumentError(() => c.writer().writeMany(1 as never), TypeError, 'values', /use write\(value\)/);
  });
});

describe('show: values in messages', () => {
  it('is brief and never throws', () => {
    expect(show('x'.repeat(100))).toHaveLength(42);
    expect(show(-0)).toBe('-0');
    expect(show(10n)).toBe('10n');
    expect(show([1, 2, 3, 4])).toBe('[1, 2, 3, …]');
    expect(show({ a: 1, b: { c: 2 } })).toBe('{ a: 1, b: {…} }');
    expect(show(Object.create(null))).toBe('{}');
    expect(show(new Map())).toBe('a Map');
    expect(show(new Error('e'))).toBe('an Error');
    expect(show(() => 1)).toBe('an anonymous function');
    expect(show(Symbol('s'))).toBe('Symbol(s)');
  });
});
