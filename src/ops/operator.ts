/**
 * How every operator runs: as named cspflow processes (so they appear in traces and deadlock
 * reports), started with `par` over the ends they read and write, and how they leave those ends.
 *
 * An operator's result is one of two forms (docs/operators.md): given `{ out }`, it writes there
 * and returns its promise (for a process body to await: real errors reject it); otherwise it
 * makes its output channel and returns the reader, and its failure reaches the consumer as poison.
 *
 * Invariants:
 * - an operator's ends are arguments of its processes, so they belong to them (PR2);
 * - when the operator has ended, every one of its ends has left (OP2–OP5): ended normally or by
 *   a retirement -> all retired; by poison -> all poisoned with the same reason and origin; by
 *   any other error -> all poisoned with that error as reason, outputs first;
 * - the promise is observed here, so an operator nobody awaits never makes an unhandled rejection.
 */
import type { BufferSpec } from '../core/buffer.js';
import { chan, type Channel } from '../core/chan.js';
import { isProcessEnd, type Reader, type Writer } from '../core/ends.js';
import { isTermination, PoisonError, RetiredError } from '../core/errors.js';
import { par, process } from '../core/process.js';
import { expectOptions, expectWriter } from './check.js';

/** Options of an operator's output channel, when the operator makes it. */
export interface OutputOptions {
  /** The output channel's buffer (as `chan`): absent = rendezvous. Ignored with `out`. */
  readonly buffer?: number | BufferSpec;
  /** The output channel's name. Default: `<operator>(<input channel>)`. Ignored with `out`. */
  readonly name?: string;
}

/** Options of a one-output operator: its output channel, or `out`, a writer to write into instead. */
export interface OperatorOptions<U> extends OutputOptions {
  /** Write here instead of making a channel; the operator then returns its promise. */
  readonly out?: Writer<U>;
}

/** The `out` form's options: write into this writer; the operator then returns its promise. */
export interface IntoOptions<U> {
  readonly out: Writer<U>;
}

/** A process body of an operator: reads `inputs`, writes `outputs`. */
export type Body = () => Promise<void>;

/** One process of an operator and the ends it holds. */
export interface Member {
  readonly inputs: readonly Reader<unknown>[];
  readonly outputs: readonly Writer<never>[];
  readonly body: Body;
}

/**
 * Runs `members` as processes named `name`; the first to end by a termination or an error makes
 * every end of the operator (`inputs`, `outputs`) leave accordingly; once all have returned
 * normally, every end retires. Resolves when all have ended; rejects with the first real error.
 */
export function launch(name: string, inputs: readonly Reader<unknown>[], outputs: readonly Writer<never>[], members: readonly Member[]): Promise<void> {
  let running = members.length;
  const run = process(name, async (_inputs: readonly Reader<unknown>[], _outputs: readonly Writer<never>[], body: Body) => {
    try {
      await body();
    } catch (error) {
      leave(inputs, outputs, error);
      if (isTermination(error)) return;
      throw error;
    }
    if (--running === 0) leave(inputs, outputs, undefined);
  });
  const done = par(members.map((m) => run(m.inputs, m.outputs, m.body)));
  done.catch(() => {});
  return done;
}

/** `launch` of one process holding every end. */
export function launchOne(name: string, inputs: readonly Reader<unknown>[], outputs: readonly Writer<never>[], body: Body): Promise<void> {
  return launch(name, inputs, outputs, [{ inputs, outputs, body }]);
}

/**
 * Every end leaves the way `error` says (undefined: the operator is done). Outputs go first, so a
 * consumer learns of a failure before the producer does. Ends that already left are untouched.
 */
export function leave(inputs: readonly Reader<unknown>[], outputs: readonly Writer<never>[], error: unknown): void {
  const ends = [...outputs, ...inputs];
  if (error === undefined || error instanceof RetiredError) {
    for (const end of ends) end.retire();
    return;
  }
  const reason = error instanceof PoisonError ? error.reason : error;
  const origin = error instanceof PoisonError ? error.origin : undefined;
  for (const end of ends) {
    if (isProcessEnd(end)) end.poisonFrom(reason, origin);
    else end.poison(reason);
  }
}

/** True for the RetiredError a read raises at end-of-stream. */
export function isEndOfStream(error: unknown): error is RetiredError {
  return error instanceof RetiredError && error.why === 'writers-retired';
}

/** True for the RetiredError a write raises when every reader has left. */
export function isReadersGone(error: unknown): error is RetiredError {
  return error instanceof RetiredError && error.why === 'readers-retired';
}

/** Where a one-output operator writes: `options.out`, or a new channel named after the operator. */
export function outputOf<U>(where: string, op: string, from: string, options: OperatorOptions<U> | undefined): { writer: Writer<U>; reader: Reader<U> | null } {
  expectOptions(where, options);
  if (options?.out !== undefined) {
    expectWriter(where, 'options.out', options.out);
    return { writer: options.out, reader: null };
  }
  const c = channelFor<U>(`${op}(${from})`, options);
  return { writer: c.writer(), reader: c.reader() };
}

/** A new output channel: named `options.name`, else `defaultName`. */
export function channelFor<U>(defaultName: string, options: OutputOptions | undefined): Channel<U> {
  return chan<U>({ name: options?.name ?? defaultName, ...(options?.buffer === undefined ? {} : { buffer: options.buffer }) });
}

/** The operator's result: its promise with `out`, else the reader it made. */
export function result<U>(reader: Reader<U> | null, done: Promise<void>): Reader<U> | Promise<void> {
  return reader ?? done;
}
