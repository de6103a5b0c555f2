/**
 * Processes and their composition: `process(name, fn)`, `par`, `seq`, `spawn`.
 *
 * A process is an async function of ends and plain arguments, under a stable name (so another
 * thread or host can find it). When it ends, it lets go of its ends: normally -> retires them;
 * by PoisonError -> poisons them with the same reason and origin; by RetiredError -> retires
 * them; by any other error -> poisons them with that error as the reason, and the error (with
 * `process` naming the process) rejects the par that awaits it.
 *
 * Invariants:
 * - a running process is in its runtime's `live` set until it has released its ends;
 * - `par` settles only after every one of its processes has ended (no orphans).
 */
import { describeRecord, inspectCustom } from './describe.js';
import { End, isProcessEnd, type Ending, type ProcessEnd } from './ends.js';
import { isTermination, PoisonError, ProcessError, RetiredError } from './errors.js';
import { ProcessRecord, type HeldEnd } from './process-record.js';
import { currentRuntime, type Runtime } from './runtime.js';
import { captureSite, type SiteCell } from './site.js';
import { invalidArgument } from './validate.js';

/** A process ready to run: its name, body, arguments and the ends among them. */
export interface ProcessInstance {
  readonly name: string;
  readonly args: readonly unknown[];
  /** The ends found among the arguments (directly, or in an array argument): core ends or transport proxies. */
  readonly ends: readonly ProcessEnd[];
  readonly body: (...args: never[]) => unknown;
  /** The file its factory was defined in ('' when unknown): one name, one definition (site.ts). */
  readonly site?: string;
}

/** Calling a factory with ends and arguments gives a process instance. */
export interface ProcessFactory<A extends unknown[]> {
  (...args: A): ProcessInstance;
  readonly processName: string;
  /** The file it was defined in ('' when unknown). */
  readonly processSite?: string;
}

export function process<A extends unknown[]>(name: string, body: (...args: A) => Promise<void> | void): ProcessFactory<A> {
  if (typeof name !== 'string' || name.length === 0) throw invalidArgument('type', 'process(name, fn)', 'name', name, 'a non-empty string');
  if (typeof body !== 'function') {
    throw invalidArgument('type', 'process(name, fn)', 'fn', body, 'a function (usually async) of the process’s ends and arguments', `Write process(${JSON.stringify(name)}, async (input, output) => { … }).`);
  }
  const defined = captureSite();
  const factory = (...args: A): ProcessInstance => new Instance(name, args, endsIn(args), body as (...args: never[]) => unknown, defined);
  Object.defineProperty(factory, 'processSite', { get: () => defined.site, enumerable: false });
  return Object.assign(factory, { processName: name, [inspectCustom]: () => `ProcessFactory<${JSON.stringify(name)}>` });
}

/** What a process factory returns; it remembers its last run, to describe itself. */
class Instance implements ProcessInstance {
  /** The record of its run while it runs; then how it ended. */
  run: ProcessRecord | 'ended' | Error | null = null;

  constructor(
    readonly name: string,
    readonly args: readonly unknown[],
    readonly ends: readonly ProcessEnd[],
    readonly body: (...args: never[]) => unknown,
    private readonly defined: SiteCell,
  ) {}

  get site(): string {
    return this.defined.site;
  }

  /** `Process<"square" blocked on read of "xs">`: what `util.inspect` and `console.log` show. */
  [inspectCustom](): string {
    const run = this.run;
    const state =
      run === null ? 'not started' : run === 'ended' ? 'ended' : run instanceof Error ? `failed: ${run.name}: ${run.message}` : describeRecord(run);
    return `Process<${JSON.stringify(this.name)} ${state}>`;
  }
}

/** The ends among `args`, in an array of exactly their number (a network may hold 100,000 instances). */
function endsIn(args: readonly unknown[]): ProcessEnd[] {
  let n = 0;
  for (const arg of args) {
    if (isProcessEnd(arg)) n++;
    else if (Array.isArray(arg)) for (const item of arg) if (isProcessEnd(item)) n++;
  }
  const ends = new Array<ProcessEnd>(n);
  let i = 0;
  for (const arg of args) {
    if (isProcessEnd(arg)) ends[i++] = arg;
    else if (Array.isArray(arg)) for (const item of arg) if (isProcessEnd(item)) ends[i++] = item;
  }
  return ends;
}

/** What par, seq and spawn accept: process instances, arrays of them, or plain async functions (processes without ends). */
export type Runnable = ProcessInstance | (() => Promise<unknown> | unknown);

/** True for what a process factory returns (or anything shaped like it, e.g. a transport's). */
export function isProcessInstance(value: unknown): value is ProcessInstance {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Partial<Record<keyof ProcessInstance, unknown>>;
  return typeof p.name === 'string' && typeof p.body === 'function' && Array.isArray(p.args) && Array.isArray(p.ends);
}

/**
 * The process instances among `runnables` (flattening arrays one level), or throws a TypeError
 * naming the first that is none: a factory not called, a value, a promise, a nested array.
 */
function instances(call: string, runnables: readonly unknown[]): ProcessInstance[] {
  const all: ProcessInstance[] = [];
  for (let i = 0; i < runnables.length; i++) {
    const r = runnables[i];
    if (Array.isArray(r)) for (let j = 0; j < r.length; j++) addRunnable(all, call, r[j], i, j);
    else addRunnable(all, call, r, i, -1);
  }
  const runtime = currentRuntime();
  for (const p of all) for (const end of p.ends) if (end instanceof End && end.core.runtime !== runtime) throw foreignEnd(call, p.name, end);
  return all;
}

/** Adds runnable `r`, given as argument `i` (item `j` of it when j >= 0), to `all`, or throws. */
function addRunnable(all: ProcessInstance[], call: string, r: unknown, i: number, j: number): void {
  if (isProcessInstance(r)) all.push(r);
  else if (typeof r === 'function') all.push(plain(call, argumentAt(i, j), r as () => unknown));
  else throw notRunnable(call, argumentAt(i, j), r);
}

/** Where a runnable was given (`argument 2[0]`), spelled out only when needed. */
function argumentAt(i: number, j: number): string {
  return j < 0 ? `argument ${i + 1}` : `argument ${i + 1}[${j}]`;
}

/**
 * An end whose channel belongs to another runtime than the processes' (made before useScheduler
 * or runScheduled switched schedulers): its operations would bypass the scheduler in force, so a
 * scheduled run would explore nothing and deadlock detection would not see it.
 */
function foreignEnd(call: string, process: string, end: End<unknown>): Error {
  return invalidArgument(
    'type',
    call,
    `the ends of process "${process}"`,
    end,
    'ends of channels made under the scheduler in force',
    'A channel made outside the runScheduled callback (or before useScheduler) is not controlled by its scheduler: make the channels inside the callback.',
  );
}

function notRunnable(call: string, at: string, value: unknown): Error {
  const allowed = 'a process (a factory called with its arguments, e.g. square(input, output)), a function of no arguments, or an array of them';
  if (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function') {
    return invalidArgument('type', call, at, value, allowed, `To wait for a promise, await it inside a process or outside ${call}.`);
  }
  return invalidArgument('type', call, at, value, allowed);
}

/**
 * A plain function as a process without ends. A process factory is refused: calling it with no
 * arguments would only make an instance (nothing would run), so it was almost surely meant to be
 * called with its ends.
 */
function plain(call: string, at: string, fn: () => unknown): ProcessInstance {
  const name = (fn as Partial<ProcessFactory<unknown[]>>).processName;
  if (typeof name === 'string') {
    throw invalidArgument('type', call, at, fn, 'a process, not a process factory', `Call the factory with its ends and arguments: ${name}(…) instead of ${name}.`);
  }
  const body = (): unknown => {
    const result = fn();
    if (isProcessInstance(result)) {
      throw invalidArgument('type', call, `the result of ${at}`, result, 'what a process body returns (a promise or nothing)', `Pass the process itself, ${call.slice(0, call.indexOf('('))}(${result.name}(…)), not a function that makes it.`);
    }
    return result;
  };
  return { name: fn.name === '' ? 'anonymous' : fn.name, args: [], ends: [], body: body as (...args: never[]) => unknown };
}

/** Runs the processes concurrently; resolves when all have ended, rejects with the first real error. */
export function par(...processes: readonly (Runnable | readonly Runnable[])[]): Promise<void> {
  return parOf('par(...processes)', processes);
}

/**
 * Starts the processes and settles as settleAll would, counting the runs left instead of a
 * promise per run (Promise.all and a catch cost ~0.5 KB per process in a network of 100,000).
 */
function parOf(call: string, processes: readonly unknown[]): Promise<void> {
  let all: ProcessInstance[];
  try {
    all = instances(call, processes);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<void>((resolve, reject) => {
    const group = new ParGroup(all.length, resolve, reject);
    for (const p of all) start(p, group);
  });
}

/** Told how each run ended: `failure` is undefined for a normal end, else what ended it. */
interface Outcomes {
  ended(failure: unknown): void;
}

/** par's rule: once every run has ended, reject with the first real error in time order, else resolve. */
class ParGroup implements Outcomes {
  private first: { error: unknown } | null = null;

  constructor(
    private left: number,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {
    if (left === 0) resolve();
  }

  ended(failure: unknown): void {
    if (failure !== undefined && this.first === null && !isTermination(failure)) this.first = { error: failure };
    if (--this.left > 0) return;
    if (this.first === null) this.resolve();
    else this.reject(this.first.error);
  }
}

/** One run as a promise: resolves on a normal end, rejects with whatever ended it (termination or real error). */
function run(instance: ProcessInstance): Promise<void> {
  return new Promise<void>((resolve, reject) => start(instance, { ended: (failure) => (failure === undefined ? resolve() : reject(failure)) }));
}

/**
 * par's rule for settling, for runtimes that run processes elsewhere: waits until every run has
 * settled, then rejects with the first real error in time order (terminations are not errors),
 * else resolves.
 */
export async function settleAll(runs: readonly Promise<unknown>[]): Promise<void> {
  let first: { error: unknown } | null = null;
  await Promise.all(
    runs.map((run) =>
      run.catch((error: unknown) => {
        if (first === null && !isTermination(error)) first = { error };
      }),
    ),
  );
  if (first !== null) throw (first as { error: unknown }).error;
}

/**
 * Runs the processes one after another. A real error stops the sequence and rejects; a
 * termination (poison, retire) stops it and resolves. Either way the processes not run let go of
 * their ends the same way, so nothing downstream waits for them.
 */
export async function seq(...processes: readonly (Runnable | readonly Runnable[])[]): Promise<void> {
  const all = instances('seq(...processes)', processes);
  // The sequence holds the ends of the processes still to run, so an end given to several of them
  // outlives the earlier ones; each end is let go once no later process has it. `uses` counts, per
  // end, the processes still to run that have it: each step costs what its process holds.
  const waiting = new ProcessRecord('seq', true);
  const uses = new Map<ProcessEnd, number>();
  for (const p of all) {
    for (const end of p.ends) {
      uses.set(end, (uses.get(end) ?? 0) + 1);
      end.hold(waiting);
    }
  }
  const finished = (p: ProcessInstance): void => {
    for (const end of p.ends) {
      const left = (uses.get(end) as number) - 1;
      uses.set(end, left);
      if (left === 0) end.release(waiting, { kind: 'retire' });
    }
  };
  const letGoAll = (ending: Ending): void => {
    for (const end of [...waiting.ends] as unknown as ProcessEnd[]) end.release(waiting, ending);
  };
  for (let i = 0; i < all.length; i++) {
    try {
      await run(all[i] as ProcessInstance);
      finished(all[i] as ProcessInstance);
    } catch (error) {
      letGoAll(endingFor(error));
      if (isTermination(error)) return;
      throw error;
    }
  }
}

/** Starts one process without waiting; the promise settles as a par of that one process would. */
export function spawn(instance: Runnable): Promise<void> {
  if (Array.isArray(instance)) return Promise.reject(invalidArgument('type', 'spawn(process)', 'process', instance, 'one process', 'To start several, use par(...processes).'));
  return parOf('spawn(process)', [instance]);
}

/** Runs one process to its end and tells `outcomes` how it ended. */
function start(instance: ProcessInstance, outcomes: Outcomes): void {
  const runtime = currentRuntime();
  const record = new ProcessRecord(instance.name);
  const described = instance instanceof Instance ? instance : null;
  if (described !== null) described.run = record;
  let repeats = false;
  for (const end of instance.ends) {
    if (end.holders.includes(record)) repeats = true;
    record.giving = end;
    end.giveTo(record);
  }
  record.giving = null;
  record.takeGiven(instance.ends as unknown as readonly HeldEnd[], repeats);
  runtime.live.add(record);
  runtime.observer?.processStarted(record);
  const outer = runtime.current;
  runtime.current = record;
  let body: Promise<unknown>;
  try {
    body = Promise.resolve((instance.body as (...args: unknown[]) => unknown)(...instance.args));
  } catch (error) {
    body = Promise.reject(error);
  } finally {
    runtime.current = outer;
  }
  body.then(
    () => {
      if (described !== null) described.run = 'ended';
      finish(runtime, record, { kind: 'retire' }, undefined);
      outcomes.ended(undefined);
    },
    (error: unknown) => {
      const failure = attribute(error, instance.name);
      if (described !== null) described.run = failure instanceof Error && !isTermination(failure) ? failure : 'ended';
      finish(runtime, record, endingFor(failure), failure);
      outcomes.ended(failure);
    },
  );
}

/** The process of `record` has ended: it leaves the live set and lets go of its ends. */
function finish(runtime: Runtime, record: ProcessRecord, ending: Ending, error: unknown): void {
  runtime.live.delete(record);
  runtime.observer?.processEnded(record, error);
  // No copy, and no deletion per end (`releasing`): each end is let go once (releasing an end the
  // process no longer holds does nothing, e.g. a given end also kept in `more`), then all are forgotten.
  record.releasing = true;
  for (const end of record.givenEnds as unknown as readonly ProcessEnd[]) end.release(record, ending);
  if (record.more !== null) for (const end of record.more as unknown as Set<ProcessEnd>) end.release(record, ending);
  record.forgetEnds();
  runtime.noteChange();
}

function endingFor(error: unknown): Ending {
  if (error instanceof RetiredError) return { kind: 'retire' };
  if (error instanceof PoisonError) return { kind: 'poison', reason: error.reason, origin: error.origin };
  return { kind: 'poison', reason: error, origin: undefined };
}


/** Names the process on a real error (once: the innermost process that raised it). */
function attribute(error: unknown, process: string): unknown {
  if (isTermination(error)) return error;
  if (!(error instanceof Error)) return new ProcessError(process, error);
  if (!Object.hasOwn(error, 'process') && Object.isExtensible(error)) {
    Object.defineProperty(error, 'process', { value: process, enumerable: false, writable: true, configurable: true });
  }
  return error;
}

/**
 * A process instance alive as long as the program, for the reason of KEPT_SHAPES (core/chan.ts):
 * once the last instance of a network is collected, a full GC frees the hidden class of process
 * instances and throws away the optimized code that starts processes (measured: a par of 1,000
 * small processes ran at 1.9–2.3 µs a process after each full GC instead of 0.9).
 */
export const KEPT_INSTANCE: ProcessInstance = process('kept-shapes', () => undefined)();
