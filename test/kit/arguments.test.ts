/**
 * Bad arguments to the kit are refused when the network is declared, before anything runs: a
 * TypeError or RangeError naming the function, the parameter and what is allowed — never a hang
 * or an error from inside a process.
 */
import { describe, expect, test } from 'vitest';
import * as kit from 'cspflow/kit';

const cases: [string, () => unknown, ErrorConstructor, string][] = [
  ['sieve limit', () => kit.primeSieveNetwork(-1, []), RangeError, 'primeSieveNetwork: limit must be an integer >= 0, got -1'],
  ['sieve limit type', () => kit.primeSieveNetwork('9' as unknown as number, []), TypeError, 'limit must be an integer >= 0, got "9"'],
  ['sort values', () => kit.oddEvenSortNetwork([1, NaN], []), RangeError, 'oddEvenSortNetwork: values[1] must be a finite number, got NaN'],
  ['merge sort values', () => kit.mergeSortTreeNetwork(3 as unknown as number[], []), TypeError, 'mergeSortTreeNetwork: values must be an array, got 3'],
  ['prefix into', () => kit.prefixSumsNetwork([1], null as unknown as number[]), TypeError, 'prefixSumsNetwork: into must be an array, got null'],
  ['systolic shape', () => kit.systolicNetwork([[1, 2]], [[1]], []), RangeError, 'systolicNetwork: a must be n×k and b k×m, but a[0] has 2 columns and b has 1 rows'],
  ['systolic ragged b', () => kit.systolicNetwork([[1, 2]], [[1, 2], [3]], []), RangeError, 'every row of b must have 2 columns, but b[1] has 1'],
  ['pi workers', () => kit.monteCarloPiNetwork({ tasks: 1, samples: 1, seed: 0, workers: 0 }, { hits: 0, done: [] }), RangeError, 'options.workers must be an integer >= 1, got 0'],
  ['integrand name', () => kit.integrateNetwork('cube' as kit.IntegrandName, 0, 1, { chunks: 1, steps: 1, workers: 1 }, []), TypeError, 'f must be a function or one of "square", "sine", "bell", "reciprocal", got "cube"'],
  ['integrate chunks', () => kit.integrateNetwork('square', 0, 1, { chunks: 0, steps: 1, workers: 1 }, []), RangeError, 'options.chunks must be an integer >= 1, got 0'],
  ['integrate bound', () => kit.integrateNetwork('square', 0, Infinity, { chunks: 1, steps: 1, workers: 1 }, []), RangeError, 'integrateNetwork: b must be a finite number, got Infinity'],
  ['word count reducers', () => kit.wordCountNetwork([], { mappers: 1, reducers: 0 }, new Map()), RangeError, 'options.reducers must be an integer >= 1, got 0'],
  ['word count docs', () => kit.wordCountNetwork([1 as unknown as string], { mappers: 1, reducers: 1 }, new Map()), TypeError, 'docs[0] must be a string, got 1'],
  ['word count into', () => kit.wordCountNetwork([], { mappers: 1, reducers: 1 }, {} as Map<string, number>), TypeError, 'into must be a Map, got an object'],
  ['philosophers', () => kit.dineNetwork({ philosophers: 1, meals: 1, strategy: 'naive' }, []), RangeError, 'dineNetwork: options.philosophers must be an integer >= 2, got 1'],
  ['strategy', () => kit.dineNetwork({ philosophers: 2, meals: 1, strategy: 'greedy' as kit.PhilosopherStrategy }, []), TypeError, 'options.strategy must be one of "naive", "footman", "ordered", got "greedy"'],
  ['bank account', () => kit.bankNetwork([5], [[{ from: 0, to: 1, amount: 1 }]], { balances: [], done: [] }), RangeError, 'bankNetwork: clients[0][0].to must name an account (0..0), got 1'],
  ['bank amount', () => kit.bankNetwork([5, 5], [[{ from: 0, to: 1, amount: -1 }]], { balances: [], done: [] }), RangeError, 'clients[0][0].amount must be a finite number >= 0, got -1'],
  ['consumers', () => kit.producerConsumerNetwork({ items: [1], consumers: 0, capacity: 0 }, []), RangeError, 'options.consumers must be an integer >= 1, got 0'],
  ['capacity', () => kit.producerConsumerNetwork({ items: [1], consumers: 1, capacity: 1.5 }, []), RangeError, 'options.capacity must be an integer >= 0, got 1.5'],
  ['farm workers', () => kit.farm([1], (x) => x, 0), RangeError, 'farm: workers must be an integer >= 1, got 0'],
];

describe('kit arguments', () => {
  test.each(cases)('%s is refused with a named error', async (_, call, type, message) => {
    // The convenience functions reject; the network functions throw: both before anything runs.
    const error = await Promise.resolve().then(call).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(message);
  });

  test('the in-process functions refuse the same arguments their network refuses', async () => {
    await expect(kit.primeSieve(-1)).rejects.toThrow(RangeError);
    await expect(kit.wordCount(['a'], { mappers: 0, reducers: 1 })).rejects.toThrow('wordCountNetwork: options.mappers must be an integer >= 1, got 0');
    await expect(kit.dine({ philosophers: 5, meals: -1, strategy: 'ordered' })).rejects.toThrow('options.meals must be an integer >= 0, got -1');
  });

  test('empty inputs make networks that end at once', async () => {
    expect(await kit.oddEvenSort([])).toEqual([]);
    expect(await kit.mergeSortTree([])).toEqual([]);
    expect(await kit.prefixSums([])).toEqual([]);
    expect(await kit.systolicMultiply([], [])).toEqual([]);
    expect(await kit.systolicMultiply([[], []], [])).toEqual([[], []]);
    expect(await kit.wordCount([], { mappers: 2, reducers: 2 })).toEqual([]);
    expect(await kit.bank([], [[]])).toEqual({ balances: [], done: [[]] });
    expect(await kit.producerConsumer({ items: [], consumers: 2, capacity: 0 })).toEqual([[], []]);
    expect(await kit.monteCarloPi({ tasks: 0, samples: 5, seed: 1, workers: 3 })).toMatchObject({ hits: 0, points: 0, done: [0, 0, 0] });
  });
});
