/**
 * Property: a random pipeline / fan-out network gives the same output on local() and on
 * threads(). With one replica per stage the order is the same too; with several the multiset is.
 * Few runs (each starts worker threads); the seed is printed so a failure can be replayed with
 * CSPFLOW_SEED=<seed>.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { process, type Reader } from '../../src/index.js';
import { local, network, run, type Network } from '../../src/index.js';
import { threads } from '../../src/threads/index.js';
import { addOne, batchSquare, numbers, square } from '../fixtures/pipeline.js';

const MODULE = new URL('../fixtures/pipeline.ts', import.meta.url).href;
const STAGES = { square, 'add-one': addOne, 'batch-square': batchSquare } as const;
type StageName = keyof typeof STAGES;

interface Spec {
  readonly n: number;
  readonly stages: readonly { readonly stage: StageName; readonly replicas: number; readonly buffer: number }[];
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  n: fc.integer({ min: 0, max: 40 }),
  stages: fc.array(
    fc.record({
      stage: fc.constantFrom<StageName>('square', 'add-one', 'batch-square'),
      replicas: fc.integer({ min: 1, max: 3 }),
      buffer: fc.constantFrom(0, 1, 4),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function build(spec: Spec, out: number[]): Network {
  return network((net) => {
    let input = net.channel<number>('c0', { buffer: spec.stages[0]?.buffer ?? 0 });
    net.spawn(numbers(spec.n, input.writer()));
    spec.stages.forEach((s, i) => {
      const next = net.channel<number>(`c${i + 1}`, { buffer: spec.stages[i + 1]?.buffer ?? 0 });
      net.spawn(STAGES[s.stage](input.reader(), next.writer()), { replicas: s.replicas });
      input = next;
    });
    const last = input;
    net.spawn(
      process('collect', async (r: Reader<number>) => {
        for await (const v of r) out.push(v);
      })(last.reader()),
      { place: 'main' },
    );
  });
}

it('a random pipeline / fan-out network gives the same output on local() and threads()', async () => {
  const seed = Number(globalThis.process.env['CSPFLOW_SEED'] ?? Date.now() % 2 ** 31);
  console.log(`same-output property: seed ${seed} (replay with CSPFLOW_SEED=${seed})`);
  await fc.assert(
    fc.asyncProperty(specArb, async (spec) => {
      const onLocal: number[] = [];
      const onThreads: number[] = [];
      await run(build(spec, onLocal), { runtime: local() });
      await run(build(spec, onThreads), { runtime: threads({ size: 2, modules: [MODULE] }) });
      const ordered = spec.stages.every((s) => s.replicas === 1);
      if (ordered) expect(onThreads).toEqual(onLocal);
      else expect([...onThreads].sort((a, b) => a - b)).toEqual([...onLocal].sort((a, b) => a - b));
      expect(onLocal.length).toBe(spec.n);
    }),
    { numRuns: 6, seed },
  );
});
