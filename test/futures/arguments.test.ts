/**
 * Bad arguments to cspflow/futures are refused at the call, by name: a TypeError for the wrong
 * kind, a RangeError out of range, both with code ERR_CSPFLOW_INVALID_ARGUMENT and `parameter`; a
 * call that returns a promise rejects, one that returns something else throws.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { local } from 'cspflow';
import { futures, gather, map, mapUnordered, task, wait, asCompleted, UnknownTaskError, type Pool } from 'cspflow/futures';
import { inc, stranger } from './fixtures/tasks.js';

const invalid = (parameter: string) => ({ code: 'ERR_CSPFLOW_INVALID_ARGUMENT', parameter });

describe('task(name, fn)', () => {
  test('needs a non-empty name and a function', () => {
    expect(() => task('', () => 1)).toThrow(RangeError);
    expect(() => task(3 as unknown as string, () => 1)).toThrow(expect.objectContaining(invalid('name')));
    expect(() => task('x', 'f' as unknown as () => number)).toThrow(expect.objectContaining(invalid('fn')));
  });

  test('is a process factory named task.<name>', () => {
    expect(inc.processName).toBe('task.test.inc');
    expect(inc.taskName).toBe('test.inc');
  });
});

describe('futures(options)', () => {
  test('refuses missing or bad tasks, unknown options and bad numbers', () => {
    expect(() => futures(undefined as never)).toThrow(TypeError);
    expect(() => futures({ tasks: [] })).toThrow(expect.objectContaining(invalid('options.tasks')));
    expect(() => futures({ tasks: [(() => 1) as never] })).toThrow(expect.objectContaining(invalid('options.tasks[0]')));
    expect(() => futures({ tasks: [inc], worker: 2 } as never)).toThrow(expect.objectContaining(invalid('options.worker')));
    expect(() => futures({ tasks: [inc], workers: 0 })).toThrow(expect.objectContaining(invalid('options.workers')));
    expect(() => futures({ tasks: [inc], concurrency: 1.5 })).toThrow(expect.objectContaining(invalid('options.concurrency')));
    expect(() => futures({ tasks: [inc], runtime: {} as never })).toThrow(expect.objectContaining(invalid('options.runtime')));
    expect(() => futures({ tasks: [inc], constants: { f: () => 1 } })).toThrow(expect.objectContaining(invalid('options.constants.f')));
    expect(() => futures({ tasks: [inc, task('test.inc', (x: number) => x)] })).toThrow(expect.objectContaining(invalid('options.tasks[1]')));
  });
});

describe('pool calls', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = futures({ runtime: local(), tasks: [inc] });
  });
  afterAll(() => pool.close());

  test('map and mapReduce reject, mapIterable and mapUnordered throw', async () => {
    await expect(pool.map('inc' as never, [1])).rejects.toMatchObject(invalid('task'));
    await expect(pool.map(inc, 5 as never)).rejects.toMatchObject(invalid('items'));
    await expect(pool.map(inc, [1], { chunk: 0 })).rejects.toMatchObject(invalid('options.chunk'));
    await expect(pool.map(inc, [1], { window: -1 })).rejects.toMatchObject(invalid('options.window'));
    await expect(pool.map(inc, [1], { onError: 'ignore' as never })).rejects.toMatchObject(invalid('options.onError'));
    await expect(pool.map(inc, [1], { signal: 'no' as never })).rejects.toMatchObject(invalid('options.signal'));
    await expect(pool.map(inc, [1], { chunks: 3 } as never)).rejects.toMatchObject(invalid('options.chunks'));
    await expect(pool.mapReduce(inc, 'sum' as never, [1])).rejects.toMatchObject(invalid('reduce'));
    await expect(pool.mapReduce(inc, (a: number, b: number) => a + b, [1], { onError: 'continue' } as never)).rejects.toMatchObject(invalid('options.onError'));
    expect(() => pool.mapIterable(inc, null as never)).toThrow(expect.objectContaining(invalid('items')));
    expect(() => pool.mapUnordered(inc, [1], { window: 0 })).toThrow(expect.objectContaining(invalid('options.window')));
  });

  test('submit and map of a task the pool does not have are refused with UnknownTaskError', async () => {
    await expect(pool.submit(stranger, 1)).rejects.toBeInstanceOf(UnknownTaskError);
    await expect(pool.map(stranger, [1])).rejects.toBeInstanceOf(UnknownTaskError);
    await expect(pool.submit('x' as never)).rejects.toMatchObject(invalid('task'));
  });

  test('shared needs a name and a value that can cross', async () => {
    await expect(pool.shared('', 1)).rejects.toMatchObject(invalid('name'));
    await expect(pool.shared('f', () => 1)).rejects.toMatchObject(invalid('value'));
  });
});

describe('the one-shot calls and the helpers', () => {
  test('refuse bad arguments the same way', async () => {
    await expect(map(inc, [1], { workers: 0 })).rejects.toMatchObject(invalid('options.workers'));
    await expect(map(inc, [1], { chunk: 0 })).rejects.toMatchObject(invalid('options.chunk'));
    expect(() => mapUnordered('inc' as never, [1])).toThrow(expect.objectContaining(invalid('task')));
    await expect(gather(3 as never)).rejects.toMatchObject(invalid('futures'));
    await expect(wait([], { until: 'some' as never })).rejects.toMatchObject(invalid('options.until'));
    expect(() => asCompleted(3 as never)).toThrow(expect.objectContaining(invalid('futures')));
  });
});
