/**
 * Kit process names: one name, one body, across every kit module, so any set of kit modules (and
 * the kit's own entry, `kitModule`) loads into one worker; every process an exported network
 * places is registered by `kitModule` under its name with the very body `local()` runs; and one
 * thread pool started with every kit module runs kit networks.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { run, type Network, type ProcessFactory } from 'cspflow';
import { threads } from 'cspflow/threads';
import * as kit from 'cspflow/kit';

const kitDir = new URL('../../src/kit/', import.meta.url);
/** Every module of the kit, by URL: the index and each algorithm's file. */
const kitModules = readdirSync(kitDir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => new URL(f, kitDir).href);

type Factory = ProcessFactory<unknown[]>;

function isFactory(value: unknown): value is Factory {
  return typeof value === 'function' && typeof (value as Partial<Factory>).processName === 'string';
}

/** The factories a worker registers from a module: its exports, and the values of exported objects one level down. */
function factoriesOf(exports: Record<string, unknown>): Factory[] {
  const found: Factory[] = [];
  for (const value of Object.values(exports)) {
    if (isFactory(value)) found.push(value);
    else if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) if (isFactory(inner)) found.push(inner);
  }
  return found;
}

/** Each exported network, declared with small inputs. */
function everyNetwork(): Record<string, Network> {
  return {
    sieve: kit.primeSieveNetwork(20, []),
    oddEven: kit.oddEvenSortNetwork([3, 1, 2], []),
    mergeSort: kit.mergeSortTreeNetwork([3, 1, 2], []),
    prefix: kit.prefixSumsNetwork([1, 2, 3], []),
    systolic: kit.systolicNetwork([[1, 2]], [[3], [4]], []),
    pi: kit.monteCarloPiNetwork({ tasks: 3, samples: 10, seed: 1, workers: 2 }, { hits: 0, done: [] }),
    integrate: kit.integrateNetwork('square', 0, 1, { chunks: 3, steps: 4, workers: 2 }, []),
    wordCount: kit.wordCountNetwork(['a b', 'b c'], { mappers: 2, reducers: 2 }, new Map()),
    dining: kit.dineNetwork({ philosophers: 3, meals: 1, strategy: 'footman' }, []),
    bank: kit.bankNetwork([5, 5], [[{ from: 0, to: 1, amount: 2 }]], { balances: [], done: [] }),
    producerConsumer: kit.producerConsumerNetwork({ items: [2, 1], consumers: 2, capacity: 1 }, []),
  };
}

describe('kit process names', () => {
  test('every kit module names its processes kit.<algorithm>.<role>, one prefix per module, and no name has two bodies', async () => {
    const byName = new Map<string, { factory: Factory; from: string }>();
    const prefixes = new Map<string, string>();
    for (const url of kitModules) {
      const factories = factoriesOf((await import(url)) as Record<string, unknown>);
      const file = url.slice(kitDir.href.length);
      for (const f of factories) {
        expect(f.processName, `${file} exports "${f.processName}"`).toMatch(/^kit\.[a-z]+\.[a-z]+$/);
        const known = byName.get(f.processName);
        if (known !== undefined) expect(known.factory, `"${f.processName}" from ${known.from} and ${file}`).toBe(f);
        else byName.set(f.processName, { factory: f, from: file });
      }
      if (file === 'index.ts') continue;
      const own = new Set(factories.map((f) => f.processName.split('.')[1] as string));
      expect(own.size, `${file} uses one kit.<algorithm> prefix`).toBeLessThanOrEqual(1);
      for (const prefix of own) {
        expect(prefixes.get(prefix), `kit.${prefix} is used by ${prefixes.get(prefix) ?? ''} and ${file}`).toBeUndefined();
        prefixes.set(prefix, file);
      }
    }
    expect(prefixes.size).toBeGreaterThanOrEqual(11);
  });

  test('every process an exported network places is registered by kitModule under its name, with the same body', async () => {
    const registered = new Map(factoriesOf((await import(kit.kitModule)) as Record<string, unknown>).map((f) => [f.processName, f]));
    for (const [which, net] of Object.entries(everyNetwork())) {
      expect(net.processes.length, which).toBeGreaterThan(0);
      for (const { instance } of net.processes) {
        const factory = registered.get(instance.name);
        expect(factory, `${which} places "${instance.name}"`).toBeDefined();
        expect((factory as Factory)(...instance.args).body, `${which}: "${instance.name}"`).toBe(instance.body);
      }
    }
  });

  test('one thread pool loaded with every kit module runs kit networks', async () => {
    const runtime = threads({ size: 2, modules: kitModules });
    const primes: number[] = [];
    const counts = new Map<string, number>();
    const tally: kit.PiTally = { hits: 0, done: [] };
    const pi = { tasks: 4, samples: 50, seed: 3, workers: 2 };
    await run(kit.primeSieveNetwork(30, primes), { runtime });
    await run(kit.wordCountNetwork(['a b a', 'B c'], { mappers: 2, reducers: 2 }, counts), { runtime });
    await run(kit.monteCarloPiNetwork(pi, tally), { runtime });
    expect(primes).toEqual(kit.primesUpTo(30));
    expect(kit.sortedCounts(counts)).toEqual([['a', 2], ['b', 2], ['c', 1]]);
    expect(tally.hits).toBe(kit.monteCarloPiReference(pi).hits);
  });
});
