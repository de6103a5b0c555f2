/**
 * Default home placement: a channel left without `home` lives with its readers when they all run
 * in one host, whoever writes (a writer in another host reaches it over a direct route), else on
 * main. Shown by what crosses the simulated network (a stream inside one host crosses nothing per
 * value; a stream from main to a host crosses exactly as with `home: 'reader'`), and by generated
 * pipelines with stages placed anywhere, second writers in other hosts and channels homed by
 * default, on main, or with their readers, which give on simulated hosts and on threads what they
 * give on local().
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { local, network, process, run, type Reader, type Writer } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { seededParams } from '../../src/testing/params.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';
import { threads } from '../../src/threads/index.js';
import { forward, numbers } from '../fixtures/alt-procs.js';

type Home = 'main' | 'reader' | undefined;

function collect(into: number[]) {
  return process('placement-collect', async (inp: Reader<number>) => {
    for await (const v of inp) into.push(v);
  });
}

/** numbers → forward (in a host) → collected: `inner` carries the stream, `home` its placement. */
function stream(count: number, into: number[], where: { readonly source: 'main' | 'worker'; readonly home: Home }) {
  return network((n) => {
    const inner = n.channel<number>('inner', where.home === undefined ? {} : { home: where.home });
    const out = n.channel<number>('out');
    n.spawn(numbers(count, inner.writer()), { place: where.source });
    n.spawn(forward(inner.reader(), out.writer()), { place: 'worker' });
    n.spawn(collect(into)(out.reader()), { place: 'main' });
  });
}

/** Runs `net` on one simulated host; returns how many wire messages were delivered. */
async function deliveries(make: (into: number[]) => ReturnType<typeof network>, seed: number): Promise<{ readonly messages: number; readonly got: number[] }> {
  let messages = 0;
  const got: number[] = [];
  const sim = new SimNetwork({
    choices: seededChoices(seed),
    fault: () => {
      messages++;
      return 'deliver';
    },
  });
  await run(make(got), { runtime: simulated({ network: sim, processes: [numbers, forward], size: 1 }) });
  return { messages, got };
}

describe('default placement', () => {
  it('homes a channel whose reader and writer share a host there: its values cross no link', async () => {
    const few = await deliveries((into) => stream(5, into, { source: 'worker', home: undefined }), 7);
    const many = await deliveries((into) => stream(200, into, { source: 'worker', home: undefined }), 7);
    const onMain = await deliveries((into) => stream(200, into, { source: 'worker', home: 'main' }), 7);
    expect(many.got).toEqual(Array.from({ length: 200 }, (_, i) => 1100 + i));
    // Only `out` (read on main) crosses: the same messages per value, none for `inner`.
    expect(onMain.messages).toBeGreaterThan(many.messages);
    const perValue = (many.messages - few.messages) / 195;
    const perValueOnMain = (onMain.messages - few.messages) / 195;
    expect(perValue).toBeLessThan(perValueOnMain);
  });

  it('homes a channel written on main and read in one host with its reader, as home: reader does', async () => {
    for (const seed of [1, 2, 3]) {
      const chosen = await deliveries((into) => stream(50, into, { source: 'main', home: undefined }), seed);
      const withReader = await deliveries((into) => stream(50, into, { source: 'main', home: 'reader' }), seed);
      expect(chosen).toEqual(withReader);
      expect(chosen.got).toEqual(Array.from({ length: 50 }, (_, i) => 1100 + i));
    }
  });
});

interface Stage {
  readonly place: 'main' | 'worker';
  readonly replicas: 1 | 2;
  readonly buffer: 0 | 1 | 4;
  readonly home: Home;
  /** A second writer of the stage's input: a source of its own, in some worker (often a third one). */
  readonly extra: boolean;
}

/**
 * A source, then `stages` forwards, then a collector on main; a stage may have a second source
 * writing its input from another worker. A channel read by replicas in two hosts is never homed
 * 'reader' (the only placement still refused).
 */
function pipeline(source: 'main' | 'worker', stages: readonly Stage[], count: number, into: number[]) {
  return network((n) => {
    const chans = stages.map((s, i) => n.channel<number>(`c${i}`, { buffer: s.buffer, ...(s.home === undefined ? {} : { home: s.home }) }));
    const last = n.channel<number>('last');
    n.spawn(numbers(count, (chans[0] ?? last).writer()), { place: source });
    stages.forEach((s, i) => {
      const input = chans[i] as (typeof chans)[number];
      n.spawn(forward(input.reader(), (chans[i + 1] ?? last).writer()), { place: s.place, replicas: s.replicas });
      if (s.extra) n.spawn(numbers(3, input.writer()), { place: 'worker' });
    });
    n.spawn(collect(into)(last.reader()), { place: 'main' });
  });
}

const stageArb: fc.Arbitrary<Stage> = fc
  .record({
    place: fc.constantFrom('main' as const, 'worker' as const),
    replicas: fc.constantFrom(1 as const, 2 as const),
    buffer: fc.constantFrom(0 as const, 1 as const, 4 as const),
    home: fc.constantFrom<Home>(undefined, 'main', 'reader'),
    extra: fc.boolean(),
  })
  // home: 'reader' is refused for readers spread over hosts: kept to where it holds.
  .map((s) => (s.home === 'reader' && s.replicas === 2 && s.place === 'worker' ? { ...s, home: undefined } : s));

const sorted = (vs: readonly number[]): number[] => [...vs].sort((a, b) => a - b);

describe('generated pipelines with channels homed anywhere the placement allows', () => {
  it('give on simulated hosts what they give on local()', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('main' as const, 'worker' as const),
        fc.array(stageArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.nat(2),
        async (source, raw, size, seed, maxDelay) => {
          const stages = raw;
          const expected: number[] = [];
          await run(pipeline(source, stages, 12, expected), { runtime: local() });
          const got: number[] = [];
          const sim = new SimNetwork({ choices: seededChoices(seed), maxDelay });
          await run(pipeline(source, stages, 12, got), { runtime: simulated({ network: sim, processes: [numbers, forward], size }) });
          expect(sorted(got)).toEqual(sorted(expected));
          expect(expected).toHaveLength(12 + 3 * stages.filter((s) => s.extra).length);
        },
      ),
      seededParams('generated pipelines homed anywhere', { numRuns: 40 }),
    );
  });

  it('give on threads what they give on local()', async () => {
    const runtime = threads({ size: 3, modules: [new URL('../fixtures/alt-procs.ts', import.meta.url).href] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('main' as const, 'worker' as const), fc.array(stageArb, { minLength: 1, maxLength: 3 }), async (source, raw) => {
        const stages = raw;
        const expected: number[] = [];
        await run(pipeline(source, stages, 12, expected), { runtime: local() });
        const got: number[] = [];
        await run(pipeline(source, stages, 12, got), { runtime });
        expect(sorted(got)).toEqual(sorted(expected));
      }),
      seededParams('generated pipelines homed anywhere, on threads', { numRuns: 8 }),
    );
  });
});
