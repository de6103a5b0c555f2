/**
 * Property tests of the core, with fast-check. Every run prints its seed; a failure report also
 * gives fast-check's seed and path. Replay with FC_SEED=<seed>, or go straight to the shrunk
 * counterexample with FC_SEED=<seed> FC_PATH=<path> and `-t <the failing test>`.
 *
 * (a) one channel against a sequential model, under random command sequences, per buffer kind;
 * (b) networks without alt (pipelines; fan-out/fan-in with per-writer tags) give the same values
 *     in the same per-writer order under many schedules;
 * (c) poison reaches every process of a pipeline, wherever it starts;
 * (d) no value is lost or duplicated across retirement.
 * (b)–(d) run under ShuffleScheduler, which resumes processes in an order fast-check chooses.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { afterEach, describe, it } from 'vitest';
import {
  chan,
  fixed,
  par,
  PoisonError,
  process,
  RetiredError,
  useScheduler,
  type Reader,
  type Writer,
} from '../../src/index.js';
import { BUFFER_KINDS, bufferKind, type BufferKind } from '../../src/testing/conformance/index.js';
import { describe as show, track, type Tracked } from '../../src/testing/conformance/support.js';
import { ChannelModel, type Failure, type Outcome, type Side } from './channel-model.js';
import { ShuffleScheduler } from './shuffle-scheduler.js';

const env = globalThis.process.env;
const seed = Number(env.FC_SEED ?? Date.now() % 2 ** 31);
const path = env.FC_PATH;
console.log(`properties.test.ts: fast-check seed ${seed} (replay: FC_SEED=${seed} [FC_PATH=<path>] npx vitest run test/core/properties.test.ts [-t <test>])`);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed, verbose: true, numRuns, ...(path === undefined ? {} : { path }) });

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

/** Makes a fresh runtime driven by a ShuffleScheduler current until the test ends. */
function shuffled(choices: readonly number[]): ShuffleScheduler {
  restore?.();
  const s = new ShuffleScheduler(choices);
  restore = useScheduler(s);
  return s;
}

const choicesArb = fc.array(fc.nat({ max: 1_000 }), { maxLength: 400, size: 'max' });
const LOSSLESS: readonly BufferKind[] = [bufferKind(), bufferKind(fixed(1)), bufferKind(fixed(3))];
const losslessArb = fc.constantFrom(...LOSSLESS);
const anyKindArb = fc.constantFrom(...BUFFER_KINDS);
const optionsOf = (kind: BufferKind, name: string) => (kind.buffer === undefined ? { name } : { name, buffer: kind.buffer });

// ---- (a) one channel against the model --------------------------------------------------------

type Command =
  | { readonly k: 'join'; readonly side: Side }
  | { readonly k: 'read' | 'write'; readonly end: number; readonly abortable: boolean }
  | { readonly k: 'tryRead' | 'tryWrite' | 'retire' | 'poison'; readonly end: number }
  | { readonly k: 'abort'; readonly op: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ k: fc.constant('join' as const), side: fc.constantFrom<Side>('reader', 'writer') }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('read' as const), end: fc.nat(), abortable: fc.boolean() }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('write' as const), end: fc.nat(), abortable: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('tryRead' as const), end: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('tryWrite' as const), end: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('abort' as const), op: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('retire' as const), end: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('poison' as const), end: fc.nat() }) },
);

/** A few ends first (possibly none of a side: R4), then the commands. */
const scriptArb: fc.Arbitrary<Command[]> = fc
  .tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.array(commandArb, { maxLength: 40, size: 'max' }))
  .map(([readers, writers, commands]) => [
    ...Array.from({ length: readers }, (): Command => ({ k: 'join', side: 'reader' })),
    ...Array.from({ length: writers }, (): Command => ({ k: 'join', side: 'writer' })),
    ...commands,
  ]);

function sameFailure(failure: Failure, error: unknown, abortReason: unknown): boolean {
  if (failure.kind === 'poison') return error instanceof PoisonError && error.reason === failure.reason;
  if (failure.kind === 'retired') return error instanceof RetiredError && error.why === failure.why;
  return error === abortReason;
}

function sameOutcome(expected: Outcome, actual: Tracked<unknown>, abortReason: unknown): boolean {
  const o = actual.outcome;
  if (expected.state === 'pending') return o.state === 'pending';
  if (expected.state === 'ok') return o.state === 'fulfilled' && o.value === expected.value;
  return o.state === 'rejected' && sameFailure(expected.failure, o.error, abortReason);
}

function tryOutcome(run: () => unknown): { returned: unknown } | { threw: unknown } {
  try {
    return { returned: run() };
  } catch (error) {
    return { threw: error };
  }
}

async function runAgainstModel(kind: BufferKind, commands: readonly Command[]): Promise<void> {
  const model = new ChannelModel(kind);
  const c = chan<number>(optionsOf(kind, 'modelled'));
  const ends: (Reader<number> | Writer<number>)[] = [];
  const ops: { tracked: Tracked<unknown>; controller: AbortController | null; reason: Error }[] = [];
  const at = (step: number, c: Command): string => `step ${step} ${JSON.stringify(c)}`;
  const pickEnd = (side: Side | null, n: number): number | null => {
    const candidates = model.ends.flatMap((e, i) => (side === null || e.side === side ? [i] : []));
    return candidates.length === 0 ? null : (candidates[n % candidates.length] as number);
  };

  for (const [step, cmd] of commands.entries()) {
    const where = at(step, cmd);
    if (cmd.k === 'join') {
      const expected = model.join(cmd.side);
      const got = tryOutcome(() => (cmd.side === 'reader' ? c.reader() : c.writer()));
      if (typeof expected === 'number') {
        assert.ok('returned' in got, `${where}: making an end threw ${show((got as { threw: unknown }).threw)}`);
        ends.push(got.returned as Reader<number> | Writer<number>);
      } else {
        assert.ok('threw' in got && got.threw instanceof RetiredError && got.threw.why === expected.why, `${where}: expected RetiredError(${expected.why})`);
      }
    } else if (cmd.k === 'read' || cmd.k === 'write') {
      const end = pickEnd(cmd.k === 'read' ? 'reader' : 'writer', cmd.end);
      if (end === null) continue;
      const op = ops.length;
      const controller = cmd.abortable ? new AbortController() : null;
      const options = controller === null ? undefined : { signal: controller.signal };
      const promise = cmd.k === 'read' ? (ends[end] as Reader<number>).read(options) : (ends[end] as Writer<number>).write(step, options);
      ops.push({ tracked: track(`${cmd.k} #${op}`, promise as Promise<unknown>), controller, reason: new Error(`abort #${op}`) });
      if (cmd.k === 'read') model.read(op, end);
      else model.write(op, end, step);
    } else if (cmd.k === 'tryRead' || cmd.k === 'tryWrite') {
      const end = pickEnd(cmd.k === 'tryRead' ? 'reader' : 'writer', cmd.end);
      if (end === null) continue;
      const expected = cmd.k === 'tryRead' ? model.tryRead(end) : model.tryWrite(end, step);
      const got = tryOutcome(() => (cmd.k === 'tryRead' ? (ends[end] as Reader<number>).tryRead() : (ends[end] as Writer<number>).tryWrite(step)));
      if ('ok' in expected) assert.deepEqual(got, { returned: expected }, where);
      else assert.ok('threw' in got && sameFailure(expected, got.threw, null), `${where}: expected to throw ${JSON.stringify(expected)}, got ${show(got)}`);
    } else if (cmd.k === 'retire' || cmd.k === 'poison') {
      const end = pickEnd(null, cmd.end);
      if (end === null) continue;
      if (cmd.k === 'retire') {
        model.retire(end);
        ends[end]?.retire();
      } else {
        model.poison(end, `poison@${step}`);
        ends[end]?.poison(`poison@${step}`);
      }
    } else if (cmd.k === 'abort') {
      // Prefer operations still waiting: aborting those is what A2 is about.
      const waiting = ops.flatMap((o, i) => (o.controller !== null && o.tracked.pending ? [i] : []));
      const abortable = waiting.length > 0 ? waiting : ops.flatMap((o, i) => (o.controller === null ? [] : [i]));
      if (abortable.length === 0) continue;
      const op = abortable[cmd.op % abortable.length] as number;
      model.abort(op);
      ops[op]?.controller?.abort(ops[op]?.reason);
    }
    await flush();
    for (const [op, o] of ops.entries()) {
      const expected = model.outcomes.get(op) as Outcome;
      assert.ok(sameOutcome(expected, o.tracked, o.reason), `${where}: operation #${op} should be ${JSON.stringify(expected)} but ${show(o.tracked.outcome)}`);
    }
  }
}

describe('(a) a channel behaves as its sequential model', () => {
  for (const kind of BUFFER_KINDS) {
    it(`random tryWrite/tryRead/read/write/retire/poison/abort sequences [${kind.name}]`, async () => {
      await fc.assert(
        fc.asyncProperty(scriptArb, (commands) => runAgainstModel(kind, commands)),
        params(150),
      );
    });
  }
});

// ---- (b) networks without alt under many schedules --------------------------------------------

/** Runs `network` under the scheduler; asserts it settles; returns the error it rejected with, if any. */
async function settleNetwork(s: ShuffleScheduler, network: Promise<void>): Promise<{ error: unknown } | null> {
  let outcome: { error: unknown } | null | undefined;
  network.then(
    () => (outcome = null),
    (error: unknown) => (outcome = { error }),
  );
  const finished = await s.run(() => outcome !== undefined);
  assert.ok(finished && outcome !== undefined, `the network never settled; last wake-ups: ${s.trace.slice(-12).join(' | ')}`);
  return outcome;
}

describe('(b) a network without alt gives the same result under every schedule', () => {
  it('a pipeline of map stages delivers every value, mapped, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 12 }), fc.array(losslessArb, { minLength: 2, maxLength: 5 }), choicesArb, async (n, kinds, choices) => {
        const s = shuffled(choices);
        const chans = kinds.map((kind, i) => chan<number>(optionsOf(kind, `c${i}`)));
        const source = process('source', async (out: Writer<number>) => {
          for (let i = 0; i < n; i++) await out.write(i);
        });
        const stage = process('stage', async (j: number, inp: Reader<number>, out: Writer<number>) => {
          for await (const v of inp) await out.write(v * 2 + j);
        });
        const got: number[] = [];
        const sink = process('sink', async (inp: Reader<number>) => {
          for await (const v of inp) got.push(v);
        });
        const stages = chans.slice(1).map((c, j) => stage(j, (chans[j] as typeof c).reader(), c.writer()));
        const outcome = await settleNetwork(s, par(source(chans[0]!.writer()), stages, sink(chans[chans.length - 1]!.reader())));
        assert.equal(outcome, null, `the network failed: ${show(outcome?.error)}`);
        const expected = Array.from({ length: n }, (_, i) => stages.reduce((v, _s, j) => v * 2 + j, i));
        assert.deepEqual(got, expected);
      }),
      params(80),
    );
  });

  it('fan-out/fan-in over any-to-any channels: every tagged value exactly once, FIFO per writer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        losslessArb,
        losslessArb,
        choicesArb,
        async (counts, workers, jobsKind, resultsKind, choices) => {
          const s = shuffled(choices);
          type Job = { readonly w: number; readonly i: number };
          type Done = Job & { readonly m: number };
          const jobs = chan<Job>(optionsOf(jobsKind, 'jobs'));
          const results = chan<Done>(optionsOf(resultsKind, 'results'));
          const source = process('source', async (w: number, n: number, out: Writer<Job>) => {
            for (let i = 0; i < n; i++) await out.write({ w, i });
          });
          const worker = process('worker', async (m: number, inp: Reader<Job>, out: Writer<Done>) => {
            for await (const job of inp) await out.write({ ...job, m });
          });
          const got: Done[] = [];
          const sink = process('sink', async (inp: Reader<Done>) => {
            for await (const v of inp) got.push(v);
          });
          const outcome = await settleNetwork(
            s,
            par(
              counts.map((n, w) => source(w, n, jobs.writer())),
              Array.from({ length: workers }, (_, m) => worker(m, jobs.reader(), results.writer())),
              sink(results.reader()),
            ),
          );
          assert.equal(outcome, null, `the network failed: ${show(outcome?.error)}`);
          const key = (v: Job): string => `${v.w}:${v.i}`;
          assert.deepEqual(got.map(key).sort(), counts.flatMap((n, w) => Array.from({ length: n }, (_, i) => key({ w, i }))).sort(), 'exactly once');
          for (let m = 0; m < workers; m++) {
            for (let w = 0; w < counts.length; w++) {
              const seen = got.filter((v) => v.m === m && v.w === w).map((v) => v.i);
              assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `worker ${m} took writer ${w}'s values out of order`);
            }
          }
        },
      ),
      params(80),
    );
  });
});

// ---- (c) poison reaches every process ----------------------------------------------------------

describe('(c) poison reaches every process of a pipeline', () => {
  it('from the source, the sink, or an error in any stage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyKindArb, { minLength: 2, maxLength: 5 }),
        fc.nat({ max: 4 }),
        fc.nat(),
        fc.nat({ max: 5 }),
        choicesArb,
        async (kinds, originPick, stagePick, m, choices) => {
          const s = shuffled(choices);
          const stageCount = kinds.length - 1;
          const origin: 'source' | 'sink' | number = originPick === 0 ? 'source' : originPick === 1 ? 'sink' : stagePick % stageCount;
          const REASON = 'shutdown';
          const BOOM = new Error('stage failed');
          const ended = new Map<string, unknown>();
          const watched = <A extends unknown[]>(name: string, body: (...args: A) => Promise<void>) =>
            process(name, async (...args: A) => {
              try {
                await body(...args);
                ended.set(name, 'returned');
              } catch (error) {
                ended.set(name, error);
                throw error;
              }
            });
          const chans = kinds.map((kind, i) => chan<number>(optionsOf(kind, `c${i}`)));
          const source = watched('source', async (out: Writer<number>) => {
            for (let i = 0; ; i++) {
              if (origin === 'source' && i === m) return out.poison(REASON);
              await out.write(i);
            }
          });
          const stages = chans.slice(1).map((c, j) =>
            watched(`stage${j}`, async (inp: Reader<number>, out: Writer<number>) => {
              for (let k = 0; ; k++) {
                const v = await inp.read();
                if (origin === j && k === m) throw BOOM;
                await out.write(v);
              }
            })((chans[j] as typeof c).reader(), c.writer()),
          );
          const sink = watched('sink', async (inp: Reader<number>) => {
            for (let k = 0; ; k++) {
              if (origin === 'sink' && k === m) return inp.poison(REASON);
              await inp.read();
            }
          });
          const outcome = await settleNetwork(s, par(source(chans[0]!.writer()), stages, sink(chans[chans.length - 1]!.reader())));
          const names = ['source', ...stages.map((_, j) => `stage${j}`), 'sink'];
          const originName = typeof origin === 'number' ? `stage${origin}` : origin;
          const reason = typeof origin === 'number' ? BOOM : REASON;
          for (const name of names) {
            assert.ok(ended.has(name), `process ${name} never ended`);
            const how = ended.get(name);
            if (name === originName) assert.equal(how, typeof origin === 'number' ? BOOM : 'returned', `how ${name} (the origin) ended`);
            else assert.ok(how instanceof PoisonError && how.reason === reason, `process ${name} ended with ${show(how)}, not the poison`);
          }
          if (typeof origin === 'number') assert.equal(outcome?.error, BOOM, 'par rejects with the stage error');
          else assert.equal(outcome, null, `par should resolve after a poison shutdown, got ${show(outcome?.error)}`);
        },
      ),
      params(100),
    );
  });
});

// ---- (d) nothing lost or duplicated across retirement ----------------------------------------

describe('(d) no value is lost or duplicated across retirement', () => {
  it('writers retiring at random points (by returning, or explicitly from the main program); readers leaving early', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ n: fc.nat({ max: 8 }), fromMain: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }), { maxLength: 2 }),
        losslessArb,
        choicesArb,
        async (writers, earlyReaders, kind, choices) => {
          const s = shuffled(choices);
          const c = chan<string>(optionsOf(kind, 'shared'));
          const written: string[] = [];
          const reads: string[][] = [];
          const writer = process('writer', async (w: number, n: number, out: Writer<string>) => {
            for (let i = 0; i < n; i++) {
              await out.write(`${w}:${i}`);
              written.push(`${w}:${i}`);
            }
          });
          const reader = process('reader', async (stopAfter: number | null, inp: Reader<string>) => {
            const got: string[] = [];
            reads.push(got);
            for await (const v of inp) {
              got.push(v);
              if (stopAfter !== null && got.length >= stopAfter) return inp.retire();
            }
          });
          // The last reader reads to end-of-stream, so every write completes.
          const readerEnds = [...earlyReaders, null].map((stop) => reader(stop, c.reader()));
          const mainWriters = writers.flatMap(({ n, fromMain }, w) => {
            if (!fromMain) return [];
            const out = c.writer();
            return [
              async function mainWriter(): Promise<void> {
                for (let i = 0; i < n; i++) {
                  await out.write(`${w}:${i}`);
                  written.push(`${w}:${i}`);
                }
                out.retire();
              },
            ];
          });
          const processWriters = writers.flatMap(({ n, fromMain }, w) => (fromMain ? [] : [writer(w, n, c.writer())]));
          const outcome = await settleNetwork(s, par(processWriters, readerEnds, mainWriters));
          assert.equal(outcome, null, `the network failed: ${show(outcome?.error)}`);
          const all = writers.flatMap(({ n }, w) => Array.from({ length: n }, (_, i) => `${w}:${i}`));
          assert.deepEqual([...written].sort(), [...all].sort(), 'every write completed');
          assert.deepEqual(reads.flat().sort(), [...all].sort(), 'every value read exactly once');
          for (const got of reads) {
            for (let w = 0; w < writers.length; w++) {
              const mine = got.filter((v) => v.startsWith(`${w}:`)).map((v) => Number(v.split(':')[1]));
              assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `a reader saw writer ${w} out of order`);
            }
          }
        },
      ),
      params(100),
    );
  });
});
