/**
 * Alternation: wait on several guards and commit to exactly one.
 *
 * Passes, as in Go's select: (1) order the enabled guards — shuffled by the scheduler for a fair
 * alt, as given for priAlt; (2) offer each guard in that order: an offer completes at once if its
 * channel can, committing the alt and withdrawing the offers already queued, or else waits in the
 * channel's queue; (3) if none completed, arm the timeouts and the abort signal and block.
 * Whatever commits first (a channel, a timer, the signal) claims the shared Choice; every other
 * offer is withdrawn at once, so nothing is consumed from, or left on, the guards not chosen.
 *
 * Decided (docs/semantics.md): a guard whose channel is poisoned or retired counts as ready; if
 * chosen, the alt rejects with that PoisonError or RetiredError (its `guardIndex` says which).
 * A guard with `when: false` is inert. An alt with no enabled guard rejects at once.
 *
 * Invariants (Selection):
 * - committed flips false -> true once; after it, no waiter of this selection is queued, no
 *   timer is armed and no abort listener is attached;
 * - the promise settles exactly once, with the guard that claimed.
 */
import { currentRuntime, Runtime } from './runtime.js';
import { realScheduler } from './scheduler.js';
import { abortError, PoisonError, RetiredError } from './errors.js';
import { End, type OpOptions, type Reader, type Writer } from './ends.js';
import { soleHolder, type Blocking, type ProcessRecord, type WatchedChannel } from './process-record.js';
import { checkOpOptions, checkOptionalBoolean, checkOptions, invalidArgument } from './validate.js';
import { noop, settleWith, type Choice, type Waiter } from './waiter.js';

/** An end that can take part in an alt: it offers an operation that completes now or waits. */
export interface Offerable {
  /**
   * Offers guard `index` of `choice` (a read, or a write of `value`). Completes at once, claiming
   * and settling the choice, or queues and returns its waiter. Contract: choice is not committed.
   */
  offerTo(choice: Choice, index: number, value: unknown): Waiter | null;
  /** Processes holding this end (the alt is attributed to the single holder, when there is one). */
  readonly holders: readonly ProcessRecord[];
  /**
   * Where this end's channel lives, on a transport's proxy end (absent on core ends: here). An
   * alt whose enabled channel guards all have one place is run there, whole; one whose guards
   * live in several places is run by a place's `runSpread`.
   */
  readonly place?: AltPlace;
}

/** A place other than this runtime where channels live and whole alts can run. */
export interface AltPlace {
  /** Names the place in errors: `worker 3`, `host b`. */
  readonly description: string;
  /**
   * Runs the alt where its channels live; settles like `alt` would. Contract: every enabled
   * channel guard's end has this place.
   */
  runAlt(guards: readonly Guard[], priority: boolean, signal: AbortSignal | undefined): Promise<AltOutcome>;
  /**
   * Runs an alt whose enabled channel guards live in several places (this runtime among them,
   * maybe), considering its enabled guards in `order` (fair: a scheduler-chosen permutation;
   * priority: as given); settles like `alt` would. Absent: such an alt is refused (TypeError).
   */
  runSpread?(guards: readonly Guard[], order: readonly number[], priority: boolean, signal: AbortSignal | undefined): Promise<AltOutcome>;
}

/** What an alt settles with, before typing: the index of the guard that won and its value. */
export interface AltOutcome {
  readonly index: number;
  readonly value: unknown;
}

export interface GuardOptions {
  /** A false `when` makes the guard inert, as if it were not there. Default true. */
  readonly when?: boolean;
}

export interface InputGuard<T> {
  readonly kind: 'input';
  readonly end: Reader<T> & Offerable;
  readonly enabled: boolean;
}
export interface OutputGuard<T> {
  readonly kind: 'output';
  readonly end: Writer<T> & Offerable;
  readonly value: T;
  readonly enabled: boolean;
}
export interface TimeoutGuard {
  readonly kind: 'timeout';
  readonly ms: number;
  readonly enabled: boolean;
}
export interface SkipGuard {
  readonly kind: 'skip';
  readonly enabled: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Guard = InputGuard<any> | OutputGuard<any> | TimeoutGuard | SkipGuard;

type GuardValue<G> = G extends InputGuard<infer T> ? T : undefined;

/** `{ index, value }` for the guard that won, typed from the guard tuple. */
export type AltResult<G extends readonly Guard[]> = {
  [K in keyof G]: { readonly index: K extends `${infer N extends number}` ? N : number; readonly value: GuardValue<G[K]> };
}[number];

function offerable(end: unknown, call: string, parameter: string): void {
  if (typeof end !== 'object' || end === null || typeof (end as Partial<Offerable>).offerTo !== 'function') {
    throw invalidArgument('type', call, parameter, end, 'an end made by a cspflow channel (channel.reader() / channel.writer())');
  }
}

function enabled(call: string, options: GuardOptions | undefined): boolean {
  checkOptions(call, 'options', options, ['when']);
  const when = options?.when;
  checkOptionalBoolean(call, 'options.when', when);
  return when ?? true;
}

export function input<T>(reader: Reader<T>, options?: GuardOptions): InputGuard<T> {
  offerable(reader, 'input(reader, options)', 'reader');
  if ((reader as Partial<{ side: unknown }>).side === 'writer') {
    throw invalidArgument('type', 'input(reader, options)', 'reader', reader, 'a reading end', 'To offer a write, use output(writer, value).');
  }
  return { kind: 'input', end: reader as Reader<T> & Offerable, enabled: enabled('input(reader, options)', options) };
}

export function output<T>(writer: Writer<T>, value: T, options?: GuardOptions): OutputGuard<T> {
  offerable(writer, 'output(writer, value, options)', 'writer');
  if ((writer as Partial<{ side: unknown }>).side === 'reader') {
    throw invalidArgument('type', 'output(writer, value, options)', 'writer', writer, 'a writing end', 'To wait for a value, use input(reader).');
  }
  return { kind: 'output', end: writer as Writer<T> & Offerable, value, enabled: enabled('output(writer, value, options)', options) };
}

export function timeout(ms: number, options?: GuardOptions): TimeoutGuard {
  if (typeof ms !== 'number') throw invalidArgument('type', 'timeout(ms, options)', 'ms', ms, 'a finite number of milliseconds >= 0');
  if (!(ms >= 0) || !Number.isFinite(ms)) throw invalidArgument('range', 'timeout(ms, options)', 'ms', ms, 'a finite number >= 0');
  return { kind: 'timeout', ms, enabled: enabled('timeout(ms, options)', options) };
}

export function skip(options?: GuardOptions): SkipGuard {
  return { kind: 'skip', enabled: enabled('skip(options)', options) };
}

const GUARD_KINDS: readonly unknown[] = ['input', 'output', 'timeout', 'skip'];

/** Throws (the message naming `call`) unless `guards` is an array of guards made by input/output/timeout/skip. */
function checkGuards(call: string, guards: unknown, options: unknown): void {
  const allowed = 'guards made by input(reader), output(writer, value), timeout(ms) or skip()';
  if (!Array.isArray(guards)) throw invalidArgument('type', call, 'guards', guards, `an array of ${allowed}`, 'Write alt([input(a), input(b)]).');
  for (let i = 0; i < guards.length; i++) {
    const g: unknown = guards[i];
    const kind = typeof g === 'object' && g !== null ? (g as Partial<Guard>).kind : undefined;
    if (!GUARD_KINDS.includes(kind) || typeof (g as Partial<Guard>).enabled !== 'boolean') {
      const fix = typeof g === 'object' && g !== null && typeof (g as Partial<Offerable>).offerTo === 'function' ? 'Wrap the end in a guard: input(reader) or output(writer, value).' : undefined;
      throw invalidArgument('type', call, `guards[${i}]`, g, `one of the ${allowed}`, fix);
    }
  }
  checkOpOptions(call, options);
}

/** Fair alternation: among ready guards, each is equally likely to win. */
export function alt<const G extends readonly Guard[]>(guards: G, options?: OpOptions): Promise<AltResult<G>> {
  try {
    checkGuards('alt(guards, options)', guards, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return select(guards, false, options) as Promise<AltResult<G>>;
}

/** Priority alternation: the first ready guard, in the order given, wins. */
export function priAlt<const G extends readonly Guard[]>(guards: G, options?: OpOptions): Promise<AltResult<G>> {
  try {
    checkGuards('priAlt(guards, options)', guards, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return select(guards, true, options) as Promise<AltResult<G>>;
}

type Outcome = AltOutcome;

function select(guards: readonly Guard[], priority: boolean, options: OpOptions | undefined): Promise<Outcome> {
  const runtime = currentRuntime();
  const order = enabledOrder(guards, priority, runtime);
  if (order.length === 0) return Promise.reject(new RangeError('alt: every guard is disabled (when: false); it could never commit'));
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const place = placeOf(guards);
  if (place instanceof TypeError) return Promise.reject(place);
  if (place instanceof Spread) return place.place.runSpread?.(guards, order, priority, signal) as Promise<Outcome>;
  if (place !== null) return place.runAlt(guards, priority, signal);
  const hasTimer = order.some((i) => guards[i]?.kind === 'timeout');
  const selection = new Selection(runtime, ownerOf(guards, order), hasTimer || signal !== undefined);
  const promise = new Promise<Outcome>((resolve, reject) => {
    selection.resolve = resolve;
    selection.reject = reject;
  });
  for (const i of order) {
    offer(selection, guards[i] as Guard, i);
    if (selection.committed) return promise;
  }
  selection.arm(guards, order, signal);
  return promise;
}

function enabledOrder(guards: readonly Guard[], priority: boolean, runtime: Runtime): number[] {
  const order: number[] = [];
  for (let i = 0; i < guards.length; i++) if ((guards[i] as Guard).enabled) order.push(i);
  if (!priority) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = runtime.scheduler.pick(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
  }
  return order;
}

/** The answer of placeOf for an alt whose guards live in several places: `place` runs it. */
class Spread {
  constructor(readonly place: AltPlace) {}
}

/**
 * Where the alt's channels live: null for here, a place, Spread when the enabled channel guards
 * live in several places, or a TypeError when they do and no place can run such an alt. Looks at
 * every enabled guard in index order before anything is offered, so the answer does not depend
 * on the guards' order or on which of them is ready.
 */
function placeOf(guards: readonly Guard[]): AltPlace | Spread | null | TypeError {
  let first: { readonly place: AltPlace | null; readonly index: number } | null = null;
  let spread: AltPlace | null = null;
  let split = -1;
  for (let i = 0; i < guards.length; i++) {
    const g = guards[i] as Guard;
    if (!g.enabled || (g.kind !== 'input' && g.kind !== 'output')) continue;
    const place = g.end.place ?? null;
    if (spread === null && place?.runSpread !== undefined) spread = place;
    if (first === null) first = { place, index: i };
    else if (place !== first.place && split < 0) split = i;
  }
  if (first === null) return null;
  if (split < 0) return first.place;
  if (spread !== null) return new Spread(spread);
  const where = (p: AltPlace | null): string => (p === null ? 'this thread' : p.description);
  const name = (index: number): string => {
    const end = (guards[index] as InputGuard<unknown> | OutputGuard<unknown>).end;
    return `guard ${index} ("${end.channelName}", in ${where(end.place ?? null)})`;
  };
  return new TypeError(`alt: its channel guards live in different places — ${name(first.index)} and ${name(split)}, and none of them can run an alt across places`);
}

function ownerOf(guards: readonly Guard[], order: readonly number[]): ProcessRecord | null {
  for (const i of order) {
    const g = guards[i] as Guard;
    if (g.kind === 'input' || g.kind === 'output') return soleHolder(g.end.holders);
  }
  return null;
}

function offer(selection: Selection, guard: Guard, index: number): void {
  try {
    if (guard.kind === 'skip') {
      if (selection.claim(null)) selection.settle(index, undefined);
    } else if (guard.kind === 'input' || guard.kind === 'output') {
      const w = guard.end.offerTo(selection, index, guard.kind === 'output' ? guard.value : undefined);
      if (w !== null) selection.waiters.push(w);
    }
  } catch (error) {
    if (selection.claim(null)) selection.fail(index, error as Error);
  }
}

class Selection implements Choice, Blocking {
  committed = false;
  readonly operation = 'alt' as const;
  readonly waiters: Waiter[] = [];
  // One shared function until the alt's promise gives its own: a closure per field per alt was
  // two allocations on every alt (and, compiled by tsx, two defineProperty calls naming them).
  resolve: (outcome: Outcome) => void = noop;
  reject: (error: unknown) => void = noop;
  private disarm: (() => void)[] = [];

  constructor(
    private readonly runtime: Runtime,
    private readonly owner: ProcessRecord | null,
    readonly escapable: boolean,
  ) {}

  /** Arms timeouts and the signal, and asks for a deadlock check. Contract: not committed. */
  arm(guards: readonly Guard[], order: readonly number[], signal: AbortSignal | undefined): void {
    const scheduler = this.runtime.scheduler;
    for (const i of order) {
      const g = guards[i] as Guard;
      if (g.kind !== 'timeout') continue;
      this.disarm.push(scheduler.setTimer(g.ms, () => {
        if (this.claim(null)) this.settle(i, undefined);
      }));
    }
    if (signal !== undefined) {
      const onAbort = (): void => {
        if (this.claim(null)) this.wake(() => settleWith(this.reject, abortError(signal)), -1);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.disarm.push(() => signal.removeEventListener('abort', onAbort));
    }
    this.runtime.observer?.blocked(this, this.owner);
    if (this.owner !== null) for (const w of this.waiters) this.runtime.noteChange(w.channel);
    else for (const w of this.waiters) if (w.end.holders.length === 0 && w.end instanceof End) this.runtime.watch.noteMainWait(w.end.core);
  }

  claim(winner: Waiter | null): boolean {
    if (this.committed) return false;
    this.committed = true;
    for (const w of this.waiters) if (w !== winner) w.leave();
    for (const undo of this.disarm) undo();
    this.disarm = [];
    return true;
  }

  settle(index: number, value: unknown): void {
    this.wake(() => settleWith(this.resolve, { index, value }), index);
  }

  fail(index: number, error: Error): void {
    const named = error instanceof PoisonError ? new PoisonError(error.reason, error.origin) : error;
    if (named instanceof RetiredError || named instanceof PoisonError) named.guardIndex = index;
    this.wake(() => settleWith(this.reject, named), index);
  }

  channelsBlocking(): readonly WatchedChannel[] {
    return this.waiters.map((w) => w.channel);
  }

  abortWith(error: Error): void {
    if (this.claim(null)) this.wake(() => settleWith(this.reject, error), -1);
  }

  /** Resumes the alt's process; the label ("<process> alt[<guard>]") is for traces. */
  private wake(task: () => void, index: number): void {
    this.runtime.observer?.resumed(this, this.owner);
    const scheduler = this.runtime.scheduler;
    if (scheduler.proceed()) task();
    else scheduler.wake(task, `${this.owner?.name ?? 'main'} alt[${index}]`);
  }
}

/**
 * An alt's selection alive as long as the program, for the reason of KEPT_SHAPES (core/chan.ts):
 * once the last selection of a network is collected, a full GC frees its hidden class and throws
 * away the optimized code of alt (measured: 1.54 µs an alt in the run after each full GC instead
 * of 1.22). On a runtime of its own, never armed.
 */
export const KEPT_SELECTION: object = new Selection(new Runtime(realScheduler), null, false);
