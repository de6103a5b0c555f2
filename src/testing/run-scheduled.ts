/**
 * runScheduled: run a network under a TestScheduler, to completion, and report what happened.
 *
 * Installs the scheduler with useScheduler (channels, alts and processes the network makes use
 * it), then loops: let every microtask run, then one scheduler step (a wake-up, the idle tasks,
 * or a move of virtual time). Ends when the network's promise settles; fails when nothing the
 * scheduler controls can move and the network has not settled (it waits on something else), or
 * after `maxSteps`. Restores the previous runtime whatever happens.
 *
 * One run at a time: the ambient runtime is process-wide.
 */
import { CspflowError } from '../core/errors.js';
import { currentRuntime, useScheduler } from '../core/runtime.js';
import { checkInteger, checkOptions, invalidArgument } from '../core/validate.js';
import { TestScheduler } from './test-scheduler.js';
import { traceText, type TraceEntry } from './trace.js';

export interface RunOptions {
  /** Fail with StepLimitError after this many steps (a livelock, or a very long network). Default 100_000. */
  readonly maxSteps?: number;
  /** Called before step `k` (1-based) runs, in order: inject faults ("poison end X after k steps"). */
  readonly faults?: readonly ScheduledFault[];
}

/** An action run by the driver just before a given step. */
export interface ScheduledFault {
  readonly step: number;
  readonly act: () => void;
  readonly label?: string;
}

export interface ScheduledRun<T> {
  readonly value: T;
  readonly trace: readonly TraceEntry[];
  /** Paste into scheduleFromString to repeat this run exactly. */
  readonly replay: string;
  readonly steps: number;
  /** Virtual time at the end, in ms. */
  readonly time: number;
}

/** The network rejected (or stalled) under a schedule; `cause` is why; the message has the replay string. */
export class ScheduleFailure extends CspflowError {
  override readonly name = 'ScheduleFailure';
  readonly code = 'ERR_CSPFLOW_SCHEDULE_FAILURE';

  constructor(
    override readonly cause: unknown,
    readonly replay: string,
    readonly seed: number | undefined,
    readonly trace: readonly TraceEntry[],
    readonly time: number,
  ) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const seedText = seed === undefined ? '' : `  seed: ${seed}\n`;
    super(
      `${why}\n  after ${trace.length} wake-ups, at virtual time ${time} ms\n${seedText}` +
        `  replay: "${replay}"   (scheduleFromString(replay) repeats this run exactly; in a property over schedulerArb(), so does \`npx cspflow replay <test file> "${replay}"\`)\n` +
        `  last wake-ups:\n${indent(traceText(trace, { tail: 12 }), 4)}`,
      { cause },
    );
  }
}

/** Nothing the scheduler controls can move, yet the network has not settled. */
export class StalledError extends CspflowError {
  override readonly name = 'StalledError';
  readonly code = 'ERR_CSPFLOW_STALLED';

  constructor(readonly blocked: readonly string[]) {
    super(
      `the network is stuck but no deadlock was reported: it waits on something the scheduler does not control ` +
        `(an end held by the main program, real I/O, a host timer, or a promise from outside)` +
        (blocked.length > 0 ? `\n  blocked:\n${blocked.map((b) => `    ${b}`).join('\n')}` : ''),
    );
  }
}

export class StepLimitError extends CspflowError {
  override readonly name = 'StepLimitError';
  readonly code = 'ERR_CSPFLOW_STEP_LIMIT';

  constructor(readonly limit: number) {
    super(`the network did not settle within ${limit} scheduler steps (a livelock? raise RunOptions.maxSteps)`);
  }
}

let running = false;

/** Runs `network` under `scheduler` to completion; rejects with ScheduleFailure if it fails. */
export async function runScheduled<T>(network: () => Promise<T> | T, scheduler: TestScheduler, options: RunOptions = {}): Promise<ScheduledRun<T>> {
  checkArguments(network, scheduler, options);
  if (running) throw new Error('runScheduled: another scheduled run is in progress; run them one at a time');
  running = true;
  const maxSteps = options.maxSteps ?? 100_000;
  const faults = [...(options.faults ?? [])].sort((a, b) => a.step - b.step);
  scheduler.reset();
  const restore = useScheduler(scheduler);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
  try {
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(network());
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    let steps = 0;
    let quietTurns = 0;
    for (;;) {
      await macrotask();
      if (outcome !== null) break;
      while (faults.length > 0 && (faults[0] as ScheduledFault).step <= scheduler.trace.length + 1) (faults.shift() as ScheduledFault).act();
      const result = scheduler.step();
      if (result === 'quiet') {
        // Give promises from outside a few real turns before calling it stuck.
        if (++quietTurns > 3) {
          outcome = { ok: false, error: new StalledError(describeBlocked()) };
          break;
        }
        continue;
      }
      quietTurns = 0;
      if (++steps > maxSteps) {
        outcome = { ok: false, error: new StepLimitError(maxSteps) };
        break;
      }
    }
  } finally {
    restore();
    running = false;
  }
  const done = outcome as { ok: true; value: T } | { ok: false; error: unknown };
  if (!done.ok) throw new ScheduleFailure(done.error, scheduler.replay, scheduler.seed, scheduler.trace, scheduler.now);
  return { value: done.value, trace: scheduler.trace, replay: scheduler.replay, steps: scheduler.trace.length, time: scheduler.now };
}

function checkArguments(network: unknown, scheduler: unknown, options: unknown): void {
  const call = 'runScheduled(network, scheduler, options)';
  if (typeof network !== 'function') {
    throw invalidArgument('type', call, 'network', network, 'a function that builds and runs the network', 'Write runScheduled(async () => { … }, scheduler).');
  }
  if (!(scheduler instanceof TestScheduler)) {
    throw invalidArgument('type', call, 'scheduler', scheduler, 'a TestScheduler', 'Use TestScheduler.seeded(seed), scheduleFromString(replay), or one drawn from schedulerArb().');
  }
  checkOptions(call, 'options', options, ['maxSteps', 'faults']);
  const o = options as RunOptions;
  if (o.maxSteps !== undefined) checkInteger(call, 'options.maxSteps', o.maxSteps, 1);
  if (o.faults !== undefined && !Array.isArray(o.faults)) throw invalidArgument('type', call, 'options.faults', o.faults, 'an array of { step, act }');
}

/** Lets every queued microtask run (a macrotask turn; never a sleep). */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function describeBlocked(): string[] {
  const out: string[] = [];
  for (const p of currentRuntime().live) {
    const on = p.blockedOn;
    if (on === null) out.push(`process "${p.name}" (not on a channel operation)`);
    else out.push(`process "${p.name}" blocked on ${on.operation} of ${on.channelsBlocking().map((c) => `"${c.name}"`).join(', ')}`);
  }
  return out;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
