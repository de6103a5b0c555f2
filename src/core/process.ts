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
import { isProcessEnd, type Ending, type ProcessEnd } from './ends.js';
import { isTermination, PoisonError, ProcessError, RetiredError } from './errors.js';
import { ProcessRecord } from './process-record.js';
import { currentRuntime } from './runtime.js';

/** A process ready to run: its name, body, arguments and the ends among them. */
export interface ProcessInstance {
  readonly name: string;
  readonly args: readonly unknown[];
  /** The ends found among the arguments (directly, or in an array argument): core ends or transport proxies. */
  readonly ends: readonly ProcessEnd[];
  readonly body: (...args: never[]) => unknown;
}

/** Calling a factory with ends and arguments gives a process instance. */
export interface ProcessFactory<A extends unknown[]> {
  (...args: A): ProcessInstance;
  readonly processName: string;
}

export function process<A extends unknown[]>(name: string, body: (...args: A) => Promise<void> | void): ProcessFactory<A> {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('process(name, fn): name must be a non-empty string');
  const factory = (...args: A): ProcessInstance => ({ name, args, ends: endsIn(args), body: body as (...args: never[]) => unknown });
  return Object.assign(factory, { processName: name });
}

function endsIn(args: readonly unknown[]): ProcessEnd[] {
  const ends: ProcessEnd[] = [];
  for (const arg of args) {
    if (isProcessEnd(arg)) ends.push(arg);
    else if (Array.isArray(arg)) for (const item of arg) if (isProcessEnd(item)) ends.push(item);
  }
  return ends;
}

/** What par, seq and spawn accept: process instances, arrays of them, or plain async functions (processes without ends). */
export type Runnable = ProcessInstance | (() => Promise<unknown> | unknown);

function instances(runnables: readonly (Runnable | readonly Runnable[])[]): ProcessInstance[] {
  return runnables.flat().map((r) =>
    typeof r === 'function' ? { name: r.name === '' ? 'anonymous' : r.name, args: [], ends: [], body: r as (...args: never[]) => unknown } : r,
  );
}

/** Runs the processes concurrently; resolves when all have ended, rejects with the first real error. */
export function par(...processes: readonly (Runnable | readonly Runnable[])[]): Promise<void> {
  return settleAll(instances(processes).map(start));
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
  const all = instances(processes);
  // The sequence holds the ends of the processes still to run, so an end given to several of them
  // outlives the earlier ones; each end is let go once no later process has it.
  const waiting = new ProcessRecord('seq', true);
  for (const p of all) for (const end of p.ends) end.hold(waiting);
  const letGo = (from: number, ending: Ending): void => {
    const later = new Set(all.slice(from).flatMap((p) => p.ends));
    for (const end of [...waiting.ends] as unknown as ProcessEnd[]) if (!later.has(end)) end.release(waiting, ending);
  };
  for (let i = 0; i < all.length; i++) {
    try {
      await start(all[i] as ProcessInstance);
      letGo(i + 1, { kind: 'retire' });
    } catch (error) {
      letGo(all.length, endingFor(error));
      if (isTermination(error)) return;
      throw error;
    }
  }
}

/** Starts one process without waiting; the promise settles as a par of that one process would. */
export function spawn(instance: Runnable): Promise<void> {
  return par(instance);
}

/** Runs one process to its end; rejects with whatever ended it (termination or real error). */
function start(instance: ProcessInstance): Promise<void> {
  const runtime = currentRuntime();
  const record = new ProcessRecord(instance.name);
  for (const end of instance.ends) end.giveTo(record);
  runtime.live.add(record);
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
  const finish = (ending: Ending): void => {
    runtime.live.delete(record);
    for (const end of [...record.ends] as unknown as ProcessEnd[]) end.release(record, ending);
    runtime.noteChange();
  };
  return body.then(
    () => finish({ kind: 'retire' }),
    (error: unknown) => {
      const failure = attribute(error, instance.name);
      finish(endingFor(failure));
      throw failure;
    },
  );
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
