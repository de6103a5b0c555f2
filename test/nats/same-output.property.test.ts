/**
 * Property: a random pipeline / fan-out network gives the same output on local(), threads() and
 * nats() (two workers on a real server). With one replica per stage the order is the same too;
 * with several, the multiset. The seed is printed: replay with CSPFLOW_SEED=<seed>.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { local, network, process, run, type Network, type Reader } from '../../src/index.js';
import { nats, startNatsWorker, type NatsWorker } from '../../src/nats/index.js';
import { realScheduler } from '../../src/core/scheduler.js';
import { seededParams } from '../../src/testing/params.js';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server.js';
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
  n: fc.integer({ min: 0, max: 200 }),
  stages: fc.array(
    fc.record({ stage: fc.constantFrom<StageName>('square', 'add-one', 'batch-square'), replicas: fc.integer({ min: 1, max: 3 }), buffer: fc.constantFrom(0, 1, 4, 64) }),
    { minLength: 1, maxLength: 3 },
  ),
});

const collect = process('same-output.collect', async (r: Reader<number>, out: number[]) => {
  for await (const v of r) out.push(v);
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
    net.spawn(collect(input.reader(), out), { place: 'main' });
  });
}

let server: NatsServer;
let workers: NatsWorker[];
beforeAll(async () => {
  server = await startNatsServer();
  workers = await Promise.all(['s1', 's2'].map((id) => startNatsWorker({ servers: server.url, modules: [MODULE], id, prefix: 'same', timers: realScheduler })));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(500)));
  await server.dispose();
});

it('a random pipeline / fan-out network gives the same output on local(), threads() and nats()', async () => {
  await fc.assert(
    fc.asyncProperty(specArb, async (spec) => {
      const outputs: number[][] = [[], [], []];
      await run(build(spec, outputs[0] as number[]), { runtime: local() });
      await run(build(spec, outputs[1] as number[]), { runtime: threads({ size: 2, modules: [MODULE] }) });
      await run(build(spec, outputs[2] as number[]), { runtime: nats({ servers: server.url, prefix: 'same', discoverMs: 200 }) });
      const [onLocal, onThreads, onNats] = outputs as [number[], number[], number[]];
      const ordered = spec.stages.every((s) => s.replicas === 1);
      const view = (xs: number[]): number[] => (ordered ? xs : [...xs].sort((a, b) => a - b));
      expect(view(onThreads)).toEqual(view(onLocal));
      expect(view(onNats)).toEqual(view(onLocal));
      expect(onLocal.length).toBe(spec.n);
    }),
    seededParams('same output on local, threads and nats', { numRuns: 6 }),
  );
});
