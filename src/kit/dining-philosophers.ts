/**
 * Dining philosophers: n philosophers round a table, one fork between each pair; a philosopher
 * needs both neighbouring forks to eat. Forks are processes; a philosopher talks to each of its
 * two forks over its own rendezvous channel: the first write picks the fork up, the second puts
 * it down. Channel `p<i>-f<j>` joins philosopher i to fork j, so a deadlock report or a trace
 * says who waits for which fork.
 *
 * Strategies:
 * - 'naive': left fork, then right. Deadlocks when every philosopher holds a left fork.
 * - 'footman': Hoare's butler: at most n - 1 philosophers sit at once, so one of them can always
 *   eat. Deadlock-free.
 * - 'ordered': the lower-numbered fork first (breaks the cycle of waits). Deadlock-free.
 *
 * Philosopher i "thinks" (yields with `alt([skip()])`, a point where a scheduler may let others
 * run) 1 + 2i times before each meal, and once between its two forks: in the natural order they
 * come to the table one after another, so only some interleavings deadlock the naive
 * strategy. The log records who ate, in order, for mutual-exclusion checks.
 */
import { alt, input, skip } from '../core/alt.js';
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkInteger, show } from './check.js';

export type PhilosopherStrategy = 'naive' | 'footman' | 'ordered';

export interface DiningOptions {
  readonly philosophers: number;
  readonly meals: number;
  readonly strategy: PhilosopherStrategy;
}

/** What happened at the table, in order: `start i` and `end i` bracket philosopher i's meal. */
export type DiningEvent = { readonly kind: 'start' | 'end'; readonly philosopher: number };

export interface DiningResult {
  /** Meals eaten by each philosopher. */
  readonly meals: readonly number[];
  readonly events: readonly DiningEvent[];
}

const strategies: readonly PhilosopherStrategy[] = ['naive', 'footman', 'ordered'];

/** Yields to the scheduler `times` times: points where other processes may run. */
async function think(times: number): Promise<void> {
  for (let i = 0; i < times; i++) await alt([skip()]);
}

/** A fork: serves its two philosophers, one at a time: a pick-up then a put-down on the same channel. */
export const fork = process('kit.dining.fork', async (left: Reader<number>, right: Reader<number>) => {
  const users = [left, right];
  const gone = [false, false];
  while (!gone[0] || !gone[1]) {
    let won: number;
    try {
      won = (await alt([input(left, { when: !gone[0] }), input(right, { when: !gone[1] })])).index;
    } catch (error) {
      if (error instanceof RetiredError && error.guardIndex !== undefined) {
        gone[error.guardIndex] = true;
        continue;
      }
      throw error;
    }
    await (users[won] as Reader<number>).read();
  }
});

/** Admits at most `seats` philosophers at once. */
export const footman = process('kit.dining.footman', async (sit: Reader<number>, rise: Reader<number>, seats: number) => {
  let seated = 0;
  const gone = [false, false];
  while (!gone[0] || !gone[1]) {
    try {
      const r = await alt([input(sit, { when: !gone[0] && seated < seats }), input(rise, { when: !gone[1] })]);
      seated += r.index === 0 ? 1 : -1;
    } catch (error) {
      if (error instanceof RetiredError && error.guardIndex !== undefined) {
        gone[error.guardIndex] = true;
        continue;
      }
      throw error;
    }
  }
});

export const philosopher = process(
  'kit.dining.philosopher',
  async (id: number, first: Writer<number>, second: Writer<number>, log: Writer<DiningEvent>, meals: number, seat: readonly [Writer<number>, Writer<number>] | null) => {
    for (let m = 0; m < meals; m++) {
      await think(1 + 2 * id);
      if (seat !== null) await seat[0].write(id);
      await first.write(id);
      await think(1);
      await second.write(id);
      await log.write({ kind: 'start', philosopher: id });
      await log.write({ kind: 'end', philosopher: id });
      await first.write(id);
      await second.write(id);
      if (seat !== null) await seat[1].write(id);
    }
  },
);

/** Writes down the log of the table. */
export const waiter = process('kit.dining.waiter', async (log: Reader<DiningEvent>, into: DiningEvent[]) => {
  for await (const e of log) into.push(e);
});

/** The processes of the table, under their stable names (what a worker registers). */
export const diningProcesses = { fork, footman, philosopher, waiter };

function checkOptions(where: string, options: DiningOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object { philosophers, meals, strategy }`);
  checkInteger(where, 'options.philosophers', options.philosophers, 2);
  checkInteger(where, 'options.meals', options.meals, 0);
  if (!strategies.includes(options.strategy)) {
    throw new TypeError(`${where}: options.strategy must be one of ${strategies.map((s) => `"${s}"`).join(', ')}, got ${show(options.strategy)}`);
  }
}

/**
 * The table as a network: forks, philosophers (and the footman) may run in workers; the waiter,
 * on main, appends every start and end of a meal to `events`, in order.
 */
export function dineNetwork(options: DiningOptions, events: DiningEvent[]): Network {
  checkOptions('dineNetwork', options);
  checkArray('dineNetwork', 'events', events);
  const n = options.philosophers;
  return network((net) => {
    // hand[i][0]: philosopher i with fork i (its left); hand[i][1]: with fork (i + 1) % n (its right).
    const hand = Array.from({ length: n }, (_, i) => [net.channel<number>(`p${i}-f${i}`), net.channel<number>(`p${i}-f${(i + 1) % n}`)] as const);
    const log = net.channel<DiningEvent>('log');
    const seats = options.strategy === 'footman' ? ([net.channel<number>('sit'), net.channel<number>('rise')] as const) : null;
    for (let f = 0; f < n; f++) net.spawn(fork(hand[f]![0].reader(), hand[(f - 1 + n) % n]![1].reader()));
    for (let i = 0; i < n; i++) {
      const [l, r] = hand[i]!;
      const [first, second] = options.strategy !== 'ordered' || i < (i + 1) % n ? [l, r] : [r, l];
      const seat = seats === null ? null : ([seats[0].writer(), seats[1].writer()] as const);
      net.spawn(philosopher(i, first.writer(), second.writer(), log.writer(), options.meals, seat));
    }
    if (seats !== null) net.spawn(footman(seats[0].reader(), seats[1].reader(), n - 1));
    net.spawn(waiter(log.reader(), events), { place: 'main' });
  });
}

/** Seats the philosophers and runs the dinner (`dineNetwork` in this thread); rejects with DeadlockError if they deadlock. */
export async function dine(options: DiningOptions): Promise<DiningResult> {
  const events: DiningEvent[] = [];
  await run(dineNetwork(options, events), { runtime: local() });
  const meals = new Array<number>(options.philosophers).fill(0);
  for (const e of events) if (e.kind === 'end') meals[e.philosopher]++;
  return { meals, events };
}

/** The sequential reference: everyone eats every meal. */
export function dineReference(options: DiningOptions): number[] {
  return new Array<number>(options.philosophers).fill(options.meals);
}

/** True when no two neighbours are ever eating at once, judging by the log. */
export function neighboursNeverEatTogether(events: readonly DiningEvent[], philosophers: number): boolean {
  const eating = new Set<number>();
  for (const e of events) {
    if (e.kind === 'end') eating.delete(e.philosopher);
    else {
      const p = e.philosopher;
      if (eating.has((p + 1) % philosophers) || eating.has((p - 1 + philosophers) % philosophers)) return false;
      eating.add(p);
    }
  }
  return true;
}
