/**
 * Stages: the synchronous steps (map, filter, scan, take, batch, unbatch, window) that
 * `pipeline` fuses into one process, so a chain of them costs one channel hop, not one per stage.
 *
 * A Stage is a reusable description; `step(next, context)` makes the running state for one
 * pipeline, feeding `next`. The chain is driven by fuse.ts: it pushes each value read into the
 * first step, and collects what falls out of the last for one `writeMany` per batch read.
 *
 * Invariants (Step):
 * - after `end()` a step pushes nothing more; it calls `next.end()` exactly once;
 * - a step pushes to `next` only from within its own push, end or expire.
 */

/** The running state of one stage within one pipeline. */
export interface Step<in A> {
  /** One value in; zero or more out to the next step. */
  push(value: A): void;
  /** The input ended (or an earlier step stopped): hand on what is held, then end the next step. */
  end(): void;
  /** A deadline armed through the context passed: hand on what is held now (a partial batch). */
  expire(): void;
}

/** What the fused loop offers its steps. */
export interface StageContext {
  /** True once the chain's last step has ended: nothing more is wanted (a `take` has its count). */
  readonly stopped: boolean;
  /**
   * Caps how many values the loop reads at once (a `take` with n values to go sets n), so a
   * lazy source is not pulled further than needed. Only an upper bound: reading less is safe.
   */
  limitReads(n: number): void;
  /** Asks for `expire()` within `ms` (the scheduler's timer), unless disarmed first. One deadline at a time. */
  arm(ms: number): void;
  disarm(): void;
}

/** A synchronous stage from A to B, fusable with its neighbours. */
export interface Stage<in A, out B> {
  readonly kind: 'cspflow.stage';
  /** For process names and messages: `map`, `filter`, … */
  readonly name: string;
  /**
   * Present on stages that treat each value on its own (map, filter, unbatch): how one value
   * becomes its outputs, possibly asynchronously. Only such stages run under `concurrency`.
   */
  readonly each?: (value: A) => readonly B[] | Promise<readonly B[]>;
  step(next: Step<B>, context: StageContext): Step<A>;
}

export function isStage(value: unknown): value is Stage<unknown, unknown> {
  return typeof value === 'object' && value !== null && (value as Partial<Stage<unknown, unknown>>).kind === 'cspflow.stage';
}

/** True for a promise or any thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A stage's function gave a promise where the fused (synchronous) chain needs a value. */
export function promiseInSyncStage(stage: string): TypeError {
  return new TypeError(
    `${stage}: the function returned a promise; a fused pipeline runs synchronously. ` +
      `Give pipeline { concurrency: n } to await each value's promise (n at a time), or make the function synchronous.`,
  );
}
