/**
 * 08 — a lost update: an account process answers "get" and "set" separately, and two clients
 * deposit with get-then-set. Under some interleavings both read the old balance and one deposit
 * vanishes. The property "the final balance is the sum of the deposits" catches it; the fix
 * (see cspflow/kit's bank) is an account that does the whole deposit in one request.
 *
 *   npx tsx --conditions=cspflow-source examples/08-lost-update.ts
 */
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { alt, chan, input, output, par, process, RetiredError, skip, type Reader, type Writer } from 'cspflow';
import { runScheduled, ScheduleFailure, scheduleFromString, schedulerArb } from 'cspflow/testing';

/** Serves "get" (offer the balance) and "set" (take a new one), whichever comes, until both sides leave. */
const account = process('account', async (get: Writer<number>, set: Reader<number>, final: number[]) => {
  let balance = 0;
  const open = [true, true];
  while (open[0] || open[1]) {
    try {
      const r = await alt([output(get, balance, { when: open[0] }), input(set, { when: open[1] })]);
      if (r.index === 1) balance = r.value as number;
    } catch (error) {
      if (!(error instanceof RetiredError) || error.guardIndex === undefined) throw error;
      open[error.guardIndex] = false;
    }
  }
  final[0] = balance;
});

/** Reads the balance, does other work for a while (`busy` scheduling points), writes balance + amount. */
const client = process('client', async (get: Reader<number>, set: Writer<number>, amount: number, late: number) => {
  for (let i = 0; i < late; i++) await alt([skip()]);
  const balance = await get.read();
  await alt([skip()]);
  await set.write(balance + amount);
});

/** Deposits 10 and 20 concurrently; returns the final balance (30 when nothing is lost). */
export async function depositTwice(): Promise<number> {
  const get = chan<number>({ name: 'get' });
  const set = chan<number>({ name: 'set' });
  const final = [0];
  await par(account(get.writer(), set.reader(), final), client(get.reader(), set.writer(), 10, 0), client(get.reader(), set.writer(), 20, 4));
  return final[0] as number;
}

export async function findTheLostUpdate(seed = 8): Promise<{ found: boolean; replay: string; report: string }> {
  const details = await fc.check(
    fc.asyncProperty(schedulerArb(), async (schedule) => {
      const { value } = await runScheduled(depositTwice, schedule);
      if (value !== 30) throw new Error(`lost update: the balance is ${value}, not 30`);
    }),
    { seed },
  );
  const report = fc.defaultReportMessage(details) ?? 'no failure found';
  const printed = String(details.counterexample?.[0] ?? '');
  const replay = /replay: "([^"]*)"/.exec(printed)?.[1];
  if (!details.failed || replay === undefined) return { found: false, replay: '', report };
  const again = await runScheduled(depositTwice, scheduleFromString(replay)).catch((e: unknown) => e);
  const repeated = !(again instanceof ScheduleFailure) && (again as { value: number }).value !== 30;
  return { found: repeated, replay, report };
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  const result = await findTheLostUpdate();
  console.log(result.report);
  console.log(result.found ? `\nreplay: "${result.replay}" loses the update every time` : '\nno lost update found');
}
