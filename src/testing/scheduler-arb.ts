/**
 * schedulerArb(): a fast-check arbitrary of TestSchedulers, for `fc.asyncProperty`.
 *
 * Generation: each scheduler draws its decisions lazily from its own copy of fast-check's
 * random stream, so a run may make any number of them; a per-run "deviation rate" (sometimes
 * every decision random, sometimes mostly the natural order) varies how wild the schedules are.
 *
 * Shrinking (unlike fc.scheduler(), whose schedules never shrink): from the decisions the failing
 * run actually made, candidates that keep a shorter prefix (the rest in natural order), then
 * candidates with blocks of choices set to 0, then single choices lowered. A shrunk failure is the
 * run with the fewest departures from natural order that still fails, and prints as a short
 * `replay: "..."` string.
 */
import type fc from 'fast-check';
import { decodeChoices, encodeChoices, type ChoiceSource } from './choices.js';
import { fastCheck } from './fast-check.js';
import { TestScheduler, type TestSchedulerOptions } from './test-scheduler.js';

export interface SchedulerArbOptions extends TestSchedulerOptions {}

const RATES = [1, 1, 0.5, 0.2, 0.05] as const;

/**
 * Schedulers for a property: `fc.asyncProperty(schedulerArb(), async (s) => runScheduled(net, s))`.
 * With CSPFLOW_REPLAY set (what `cspflow replay` does), every scheduler is the one that replay
 * string describes, and none is shrunk: the failing run repeats exactly.
 */
export function schedulerArb(options: SchedulerArbOptions = {}): fc.Arbitrary<TestScheduler> {
  const fc = fastCheck('schedulerArb()');
  const replay = globalThis.process?.env?.['CSPFLOW_REPLAY'];
  if (replay !== undefined) {
    const choices = decodeChoices(replay);
    console.log(`[cspflow/testing] schedulerArb: replaying "${encodeChoices(choices)}" (CSPFLOW_REPLAY)`);
    return fc.constant(null).map(() => withPrinter(fc, scripted(choices, options)));
  }
  // Defined here, not at module level: fast-check is an optional peer, and extending its class
  // needs it loaded.
  class SchedulerArbitrary extends fc.Arbitrary<TestScheduler> {
    generate(mrng: fc.Random): fc.Value<TestScheduler> {
      const rate = RATES[mrng.nextInt(0, RATES.length - 1)] as number;
      const base = mrng.clone();
      // Each reset replays the same decisions: a fresh clone of the same random state.
      const make = (): ChoiceSource => {
        const rng = base.clone();
        return { choose: (n) => (rate < 1 && rng.nextDouble() >= rate ? 0 : rng.nextInt(0, n - 1)) };
      };
      return new fc.Value(withPrinter(fc, new TestScheduler(make, options, 'fast-check')), undefined);
    }

    canShrinkWithoutContext(value: unknown): value is TestScheduler {
      return false;
    }

    shrink(value: TestScheduler): fc.Stream<fc.Value<TestScheduler>> {
      const made = trimZeros(value.choices);
      return new fc.Stream(candidates(made)).map((choices) => new fc.Value(withPrinter(fc, scripted(choices, options)), undefined));
    }
  }
  return new SchedulerArbitrary();
}

function scripted(choices: readonly number[], options: TestSchedulerOptions): TestScheduler {
  return TestScheduler.scripted(choices, options);
}

/** fast-check prints values with this method: the schedule as a replay string. */
function withPrinter(fc: typeof import('fast-check').default, s: TestScheduler): TestScheduler {
  Object.defineProperty(s, fc.toStringMethod, { value: () => s.toString(), enumerable: false });
  return s;
}

function trimZeros(choices: readonly number[]): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}

/** Shrink candidates of a list of choices, most aggressive first. */
function* candidates(made: readonly number[]): IterableIterator<number[]> {
  const m = made.length;
  if (m === 0) return;
  // 1. Shorter prefixes (the rest in natural order).
  for (let keep = 0, gap = m; gap > 0; gap = Math.floor(gap / 2)) {
    keep = m - gap;
    yield made.slice(0, keep);
  }
  // 2. Blocks of choices zeroed, large blocks first.
  for (let size = Math.max(1, Math.floor(m / 2)); size >= 1; size = size === 1 ? 0 : Math.floor(size / 2)) {
    for (let from = 0; from < m; from += size) {
      if (!made.slice(from, from + size).some((c) => c !== 0)) continue;
      const next = made.slice();
      next.fill(0, from, from + size);
      yield next;
    }
  }
  // 3. Single choices lowered by one.
  for (let i = 0; i < m; i++) {
    if ((made[i] as number) > 1) {
      const next = made.slice();
      next[i] = (made[i] as number) - 1;
      yield next;
    }
  }
}

