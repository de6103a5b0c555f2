/**
 * Helpers shared by the conformance cases: promise tracking, error checks, and the probes that
 * show a channel holds no stray value or offer. The one file that imports node:assert.
 */
import assert from 'node:assert/strict';
import {
  input,
  output,
  PoisonError,
  priAlt,
  RetiredError,
  skip,
  type ChannelOptions,
  type Reader,
  type RetiredWhy,
  type TryReadResult,
  type TryWriteResult,
  type Writer,
} from '../../index.js';
import type { BufferKind, ConformanceCase, ConformanceTransport } from './types.js';

export { assert };

type Outcome<T> = { readonly state: 'pending' } | { readonly state: 'fulfilled'; readonly value: T } | { readonly state: 'rejected'; readonly error: unknown };

/** A promise whose outcome can be inspected synchronously (after `t.settle()`). */
export class Tracked<T> {
  outcome: Outcome<T> = { state: 'pending' };

  constructor(
    readonly what: string,
    readonly promise: Promise<T>,
  ) {
    promise.then(
      (value) => (this.outcome = { state: 'fulfilled', value }),
      (error: unknown) => (this.outcome = { state: 'rejected', error }),
    );
  }

  get pending(): boolean {
    return this.outcome.state === 'pending';
  }

  get settled(): boolean {
    return this.outcome.state !== 'pending';
  }

  assertPending(when: string): void {
    assert.equal(this.outcome.state, 'pending', `${this.what} should still be pending ${when}, but it ${show(this.outcome)}`);
  }

  /** Asserts the promise has fulfilled and returns its value. */
  value(): T {
    const o = this.outcome;
    assert.ok(o.state === 'fulfilled', `${this.what} should have fulfilled, but it ${show(o)}`);
    return o.value;
  }

  /** Asserts the promise has rejected and returns the error. */
  error(): unknown {
    const o = this.outcome;
    assert.ok(o.state === 'rejected', `${this.what} should have rejected, but it ${show(o)}`);
    return o.error;
  }
}

function show(o: Outcome<unknown>): string {
  if (o.state === 'pending') return 'is still pending';
  if (o.state === 'fulfilled') return `fulfilled with ${describe(o.value)}`;
  return `rejected with ${describe(o.error)}`;
}

/** A short description of a value or error for failure messages. */
export function describe(x: unknown): string {
  if (x instanceof Error) {
    const why = x instanceof RetiredError ? ` (why: ${x.why})` : '';
    return `${x.name}${why}: ${x.message}`;
  }
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

export function track<T>(what: string, promise: Promise<T>): Tracked<T> {
  return new Tracked(what, promise);
}

/** Awaits `promise`, asserts it rejects, and returns the error. */
export async function rejection(what: string, promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`${what} should have rejected, but it fulfilled with ${describe(value)}`);
}

/** Calls `fn`, asserts it throws, and returns what it threw. */
export function thrown(what: string, fn: () => unknown): unknown {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    return error;
  }
  assert.fail(`${what} should have thrown, but it returned ${describe(value)}`);
}

export function assertRetired(error: unknown, why: RetiredWhy, what: string): RetiredError {
  assert.ok(error instanceof RetiredError, `${what}: expected RetiredError (why: ${why}), got ${describe(error)}`);
  assert.equal(error.why, why, `${what}: RetiredError.why`);
  return error;
}

export function assertPoisoned(error: unknown, reason: unknown, what: string): PoisonError {
  assert.ok(error instanceof PoisonError, `${what}: expected PoisonError, got ${describe(error)}`);
  assert.equal(error.reason, reason, `${what}: PoisonError.reason`);
  return error;
}

/** Lets everything already started land: `n` rounds of `t.settle()`. */
export async function settle(t: ConformanceTransport, n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await t.settle();
}

/** Settles until `done()` holds, failing after `max` rounds. */
export async function until(t: ConformanceTransport, done: () => boolean, what: string, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (done()) return;
    await t.settle();
  }
  assert.fail(`gave up waiting (${max} settles) for ${what}`);
}

/** The channel options of `kind`, with extras. */
export function opts(kind: BufferKind, extra: Omit<ChannelOptions, 'buffer'> = {}): ChannelOptions {
  return kind.buffer === undefined ? { ...extra } : { ...extra, buffer: kind.buffer };
}

/** Names a case `<rule> <title> [<kind>]`. */
export function caseOf(rule: string, title: string, kind: BufferKind, run: (t: ConformanceTransport) => Promise<void>): ConformanceCase {
  return { name: `${rule} ${title} [${kind.name}]`, run };
}

/**
 * Fills the buffer of a waiting kind to capacity with `first, first+1, …` (nothing for
 * rendezvous); returns the values written. Every write must resolve.
 */
export async function fill(t: ConformanceTransport, w: Writer<number>, kind: BufferKind, first = 0): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < kind.capacity; i++) values.push(first + i);
  const writes = values.map((v) => track(`write(${v}) into a buffer with room`, w.write(v)));
  await t.settle();
  for (const write of writes) write.value();
  return values;
}

/**
 * tryRead, exactly, on every transport: `priAlt([input(r), skip()])` asks the channel itself
 * (a proxy's tryRead answers from what it knows, rule C7r). Throws what tryRead would throw.
 */
export async function pollRead<T>(r: Reader<T>): Promise<TryReadResult<T>> {
  try {
    const res = await priAlt([input(r), skip()]);
    return res.index === 0 ? { ok: true, value: res.value as T } : { ok: false, reason: 'empty' };
  } catch (error) {
    if (error instanceof RetiredError && error.why === 'writers-retired') return { ok: false, reason: 'retired' };
    throw error;
  }
}

/** tryWrite, exactly, on every transport: `priAlt([output(w, value), skip()])`. */
export async function pollWrite<T>(w: Writer<T>, value: T): Promise<TryWriteResult> {
  try {
    const res = await priAlt([output(w, value), skip()]);
    return res.index === 0 ? { ok: true } : { ok: false, reason: 'full' };
  } catch (error) {
    if (error instanceof RetiredError && error.why === 'readers-retired') return { ok: false, reason: 'retired' };
    throw error;
  }
}

/** Takes every value available now, exactly (pollRead until it finds none). */
export async function drainNow<T>(r: Reader<T>): Promise<T[]> {
  const got: T[] = [];
  for (let res = await pollRead(r); res.ok; res = await pollRead(r)) got.push(res.value);
  return got;
}

/**
 * Shows that no reader (no alt's input offer) waits on the channel. Precondition: the buffer is
 * empty. A buffered channel takes `probe` into the buffer and gives it back to `r`; a rendezvous
 * channel refuses it.
 */
export async function assertNoWaitingReader<T>(w: Writer<T>, r: Reader<T>, kind: BufferKind, probe: T, what: string): Promise<void> {
  const put = await pollWrite(w, probe);
  if (kind.capacity === 0) {
    assert.deepEqual(put, { ok: false, reason: 'full' }, `${what}: a reader offer lingers on a rendezvous channel (the probe was taken)`);
    return;
  }
  assert.deepEqual(put, { ok: true }, `${what}: a probe into an empty buffer`);
  assert.deepEqual(await pollRead(r), { ok: true, value: probe }, `${what}: the probe went to a lingering reader offer instead of the buffer`);
}

/** Shows that no writer (no alt's output offer) waits on the channel. Precondition: the buffer is empty. */
export async function assertNoWaitingWriter<T>(r: Reader<T>, what: string): Promise<void> {
  const got = await pollRead(r);
  assert.deepEqual(got, { ok: false, reason: 'empty' }, `${what}: a writer offer lingers (a probe found ${describe(got)})`);
}

/** Reads until end-of-stream (RetiredError 'writers-retired'); any other error is rethrown. */
export async function readAll<T>(r: Reader<T>): Promise<T[]> {
  const values: T[] = [];
  for (;;) {
    try {
      values.push(await r.read());
    } catch (error) {
      if (error instanceof RetiredError && error.why === 'writers-retired') return values;
      throw error;
    }
  }
}

/**
 * The values a reader should see after `written` were written one at a time into an empty buffer
 * of `kind` with nobody reading (C3).
 */
export function survivors<T>(kind: BufferKind, written: readonly T[]): T[] {
  if (kind.overflow === 'drop-newest') return written.slice(0, kind.capacity);
  if (kind.overflow === 'drop-oldest') return written.slice(Math.max(0, written.length - kind.capacity));
  return [...written];
}

/** Asserts `seen` is a strictly increasing sequence (what FIFO per writer means for indices). */
export function assertIncreasing(seen: readonly number[], what: string): void {
  for (let i = 1; i < seen.length; i++) {
    assert.ok((seen[i] as number) > (seen[i - 1] as number), `${what}: not in the order written: ${JSON.stringify(seen)}`);
  }
}
