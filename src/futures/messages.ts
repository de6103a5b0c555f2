/**
 * Every message of a futures pool, as a typed union, and the checks made on receipt.
 *
 * Channels of a pool (see pool-network.ts):
 *   jobs (one per task)            driver → the task's farm workers   JobChunk
 *   back (one)                     every farm worker → driver        BackMessage
 *   control (one per farm worker)  driver → that farm worker          ControlMessage
 *
 * Positions: a chunk's items are numbered 0..n-1; outcomes name the positions they are for. A
 * nested submission (a task submitting tasks) is a batch numbered by the farm worker that sent it.
 */
import { FarmProtocolError } from './errors.js';
import type { ErrorRecord } from './task-error.js';

/** A chunk of inputs for one task. */
export interface JobChunk {
  /** Chunk id, unique in the pool and increasing in the order chunks are written. */
  readonly c: number;
  /** 1: each input is an argument list; 0: each input is the single argument. */
  readonly s: 0 | 1;
  readonly xs: readonly unknown[];
  /** The farm worker whose own queue these items were shared from (see local-first.ts), if any. */
  readonly o?: number;
}

/** Outcomes for some positions of a chunk (or of a nested batch). */
export interface Outcomes {
  /** Positions of `v`: a number is the first of consecutive positions; an array lists them. */
  readonly i: number | readonly number[];
  readonly v: readonly unknown[];
  /** Failed positions, each with the error's record. */
  readonly e?: readonly (readonly [number, ErrorRecord])[];
  /** Positions cancelled before they started. */
  readonly x?: readonly number[];
}

/** Outcomes of chunk `c`; `t` (ms the chunk took) only on the message that completes it. */
export interface ChunkOutcomes extends Outcomes {
  readonly k: 'r';
  readonly c: number;
  readonly t?: number;
}

/** Tasks submitted by a task body in farm worker `o`: batch `b` of task `task`. */
export interface Submission {
  readonly k: 's';
  readonly o: number;
  readonly b: number;
  readonly task: string;
  readonly s: 0 | 1;
  readonly xs: readonly unknown[];
  /** Items per chunk, when the task body fixed it (`this.map(…, { chunk })`). */
  readonly n?: number;
  /** 1: items shared from the farm worker's own queue (its chunks then name it as their origin). */
  readonly h?: 1;
}

/** Farm worker `o` no longer wants batch `b` (cancelled before it started). */
export interface BatchCancel {
  readonly k: 'x';
  readonly o: number;
  readonly b: number;
}

/** Farm worker `o` has shared constant `name`. */
export interface SharedAck {
  readonly k: 'a';
  readonly o: number;
  readonly name: string;
}

/**
 * Farm worker `o` holds `n` more (or, negative, fewer) items whose parent has finished without
 * awaiting them: the driver counts them as outstanding, so the pool does not close under them.
 */
export interface Orphans {
  readonly k: 'o';
  readonly o: number;
  readonly n: number;
}

export type BackMessage = ChunkOutcomes | Submission | BatchCancel | SharedAck | Orphans;

/** Outcomes of batch `b` the farm worker submitted. */
export interface BatchOutcomes extends Outcomes {
  readonly k: 'r';
  readonly b: number;
}

/** A shared constant for every task this farm worker runs from now on. */
export interface SharedValue {
  readonly k: 'c';
  readonly name: string;
  readonly value: unknown;
}

/** Chunks to cancel: positions not started are skipped, running ones see their signal abort. */
export interface ChunkCancel {
  readonly k: 'x';
  readonly c: readonly number[];
}

export type ControlMessage = BatchOutcomes | SharedValue | ChunkCancel;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function outcomesOk(m: Record<string, unknown>): boolean {
  const i = m['i'];
  return (isInt(i) || Array.isArray(i)) && Array.isArray(m['v']) && (m['e'] === undefined || Array.isArray(m['e'])) && (m['x'] === undefined || Array.isArray(m['x']));
}

function shape(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

export function checkJob(channel: string, value: unknown): JobChunk {
  const m = shape(value);
  if (m !== null && isInt(m['c']) && (m['s'] === 0 || m['s'] === 1) && Array.isArray(m['xs']) && (m['o'] === undefined || isInt(m['o']))) return m as unknown as JobChunk;
  throw new FarmProtocolError(channel, 'something other than a chunk of task inputs');
}

export function checkBack(channel: string, value: unknown): BackMessage {
  const m = shape(value);
  const ok =
    m !== null &&
    ((m['k'] === 'r' && isInt(m['c']) && outcomesOk(m)) ||
      (m['k'] === 's' && isInt(m['o']) && isInt(m['b']) && typeof m['task'] === 'string' && (m['s'] === 0 || m['s'] === 1) && Array.isArray(m['xs']) && (m['n'] === undefined || (isInt(m['n']) && m['n'] >= 1)) && (m['h'] === undefined || m['h'] === 1)) ||
      (m['k'] === 'x' && isInt(m['o']) && isInt(m['b'])) ||
      (m['k'] === 'a' && isInt(m['o']) && typeof m['name'] === 'string') ||
      (m['k'] === 'o' && isInt(m['o']) && isInt(m['n'])));
  if (ok) return m as unknown as BackMessage;
  throw new FarmProtocolError(channel, 'a message that is not a result, a submission, a cancel or an acknowledgement');
}

export function checkControl(channel: string, value: unknown): ControlMessage {
  const m = shape(value);
  const ok =
    m !== null &&
    ((m['k'] === 'r' && isInt(m['b']) && outcomesOk(m)) || (m['k'] === 'c' && typeof m['name'] === 'string') || (m['k'] === 'x' && Array.isArray(m['c'])));
  if (ok) return m as unknown as ControlMessage;
  throw new FarmProtocolError(channel, 'a message that is not a result, a shared constant or a cancel');
}
