/**
 * 07 — find a race: the naive dining philosophers (each takes the left fork, then the right)
 * deadlock only under some interleavings. A property over generated schedules finds one, prints
 * it as a replay string, and pasting that string back repeats the deadlock exactly. In the
 * report, channel `p3-f4` joins philosopher 3 to fork 4: `process "kit.dining.philosopher"
 * blocked on write of "p3-f4"` is philosopher 3 waiting for fork 4.
 *
 *   npx tsx --conditions=cspflow-source examples/07-find-a-race.ts
 */
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { DeadlockError } from 'cspflow';
import { dine } from 'cspflow/kit';
import { runScheduled, ScheduleFailure, scheduleFromString, schedulerArb } from 'cspflow/testing';

const table = { philosophers: 5, meals: 3, strategy: 'naive' } as const;

export async function findTheDeadlock(seed = 7): Promise<{ found: boolean; runs: number; replay: string; report: string }> {
  // 1. The property: dinner always ends. fast-check tries schedules until one breaks it.
  const details = await fc.check(
    fc.asyncProperty(schedulerArb(), async (schedule) => {
      await runScheduled(() => dine(table), schedule);
    }),
    { seed },
  );
  if (!details.failed || !(details.errorInstance instanceof ScheduleFailure)) return { found: false, runs: details.numRuns, replay: '', report: 'no failure found' };
  const failure = details.errorInstance;
  const report = `${fc.defaultReportMessage(details) ?? ''}\n\n${failure.message}`;

  // 2. The printed schedule, pasted back, deadlocks again, exactly the same way.
  const again = await runScheduled(() => dine(table), scheduleFromString(failure.replay)).catch((e: unknown) => e);
  const repeated = again instanceof ScheduleFailure && again.cause instanceof DeadlockError && again.replay === failure.replay;
  return { found: failure.cause instanceof DeadlockError && repeated, runs: details.numRuns, replay: failure.replay, report };
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  const result = await findTheDeadlock();
  console.log(result.report);
  console.log(result.found ? `\nfound after ${result.runs} run(s); replay: "${result.replay}" deadlocks every time` : '\nno deadlock found');
}
