/**
 * src/core/alt.ts: guard constructors and their validation, result typing, and timer disarming.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { alt, chan, input, output, priAlt, skip, timeout, type Reader, type Writer } from '../../src/index.js';

describe('guards', () => {
  it('input and output need an end made by a channel', () => {
    expect(() => input({} as Reader<number>)).toThrow(TypeError);
    expect(() => input(null as unknown as Reader<number>)).toThrow(/input\(reader, options\): reader must be an end made by a cspflow channel/);
    expect(() => output({ write: () => Promise.resolve() } as unknown as Writer<number>, 1)).toThrow(/output\(writer, value, options\): writer must be an end/);
  });

  it('timeout(ms) needs a finite ms >= 0', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => timeout(bad)).toThrow(RangeError);
    expect(timeout(0)).toMatchObject({ kind: 'timeout', ms: 0, enabled: true });
  });

  it('when defaults to true and can disable any guard', () => {
    const c = chan<number>();
    expect(input(c.reader()).enabled).toBe(true);
    expect(input(c.reader(), { when: false }).enabled).toBe(false);
    expect(output(c.writer(), 1, { when: false }).enabled).toBe(false);
    expect(timeout(5, { when: false }).enabled).toBe(false);
    expect(skip({ when: false }).enabled).toBe(false);
  });
});

describe('alt', () => {
  it('types its result from the guards: index literal and the value of that guard', async () => {
    const s = chan<string>({ buffer: 1 });
    const n = chan<number>({ buffer: 1 });
    const ws = s.writer();
    await ws.write('x');
    const res = await priAlt([input(s.reader()), input(n.reader()), output(n.writer(), 2), skip()]);
    expectTypeOf(res.index).toEqualTypeOf<0 | 1 | 2 | 3>();
    if (res.index === 0) expectTypeOf(res.value).toEqualTypeOf<string>();
    if (res.index === 1) expectTypeOf(res.value).toEqualTypeOf<number>();
    if (res.index === 2) expectTypeOf(res.value).toEqualTypeOf<undefined>();
    expect(res).toEqual({ index: 0, value: 'x' });
  });

  it('a timeout guard that lost does not keep the process alive (its timer is disarmed)', async () => {
    const timers = (): number =>
      (globalThis.process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((x) => x === 'Timeout').length;
    const before = timers();
    const c = chan<number>();
    const r = c.reader();
    const w = c.writer();
    const res = alt([input(r), timeout(3_600_000)]);
    expect(timers()).toBe(before + 1);
    await w.write(1);
    await expect(res).resolves.toEqual({ index: 0, value: 1 });
    expect(timers()).toBe(before);
  });
});
