/**
 * What a snapshot of a run says: plain data (JSON-safe), the same on every runtime. A field a
 * runtime cannot know from this thread is null (e.g. the depth of a channel living in a worker).
 */
import type { ChannelKind, DeadlockedProcess, ErrorSummary, WaitFor } from './events.js';

/** running: not waiting on a channel (computing, or awaiting something else); ended: ended elsewhere, how unknown. */
export type ProcessState = 'running' | 'blocked' | 'deadlocked' | 'done' | 'retired' | 'poisoned' | 'failed' | 'ended';

export interface ChannelSnapshot {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly capacity: number;
  /** retired: a side has retired (end of stream, or nobody reads any more). */
  readonly state: 'open' | 'retired' | 'poisoned' | 'unknown';
  /** Values buffered now. */
  readonly depth: number | null;
  /** Values written so far (read + buffered + dropped). */
  readonly written: number | null;
  readonly read: number | null;
  /** Values a dropping/sliding buffer threw away, or poison/retirement discarded. */
  readonly dropped: number | null;
  /** Reads (and alts) waiting now. */
  readonly blockedReaders: number | null;
  readonly blockedWriters: number | null;
  /** The thread the channel lives in: main (this one) or a worker. */
  readonly home: 'main' | 'worker';
}

export interface ProcessSnapshot {
  /** Unique within the run's thread; replicas share a name, not an id. */
  readonly id: number;
  readonly name: string;
  readonly state: ProcessState;
  readonly placement: 'main' | 'worker';
  /**
   * Values it wrote (or, if it writes nothing, read) on channels whose side it holds alone; null
   * when it shares that side with replicas — see its stage for their total.
   */
  readonly items: number | null;
  /** What it waits on, when blocked or deadlocked. */
  readonly on?: { readonly operation: 'read' | 'write' | 'alt'; readonly channels: readonly string[] };
  readonly error?: ErrorSummary;
}

/** All processes of one name (a stage of a pipeline, its replicas together). */
export interface StageSnapshot {
  readonly name: string;
  readonly processes: number;
  /** Values written on channels only this stage writes (or read, for a stage that writes nothing). */
  readonly items: number | null;
  readonly states: Partial<Record<ProcessState, number>>;
}

export interface WorkerSnapshot {
  readonly id: string;
  /** Fraction of time its event loop was busy since the previous snapshot; null when not known here. */
  readonly utilisation: number | null;
  readonly processes: number;
}

export interface DeadlockSnapshot {
  readonly blocked: readonly DeadlockedProcess[];
  readonly cycle: readonly WaitFor[];
}

export interface Snapshot {
  readonly runtime: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly channels: readonly ChannelSnapshot[];
  readonly processes: readonly ProcessSnapshot[];
  readonly stages: readonly StageSnapshot[];
  readonly workers: readonly WorkerSnapshot[];
  /** The error the run failed with. */
  readonly error?: ErrorSummary;
  /** The deadlock the run met, with its wait-for cycle. */
  readonly deadlock?: DeadlockSnapshot;
}

const SNAPSHOT: unique symbol = Symbol.for('cspflow.snapshot');

/** Attaches `snapshot` to `error` (a DeadlockError of an observed run); readable with snapshotOf. */
export function attachSnapshot(error: object, snapshot: Snapshot): void {
  if (!Object.hasOwn(error, SNAPSHOT) && Object.isExtensible(error)) Object.defineProperty(error, SNAPSHOT, { value: snapshot, enumerable: false });
}

/**
 * The snapshot taken when `error` happened: for a DeadlockError met by a run started with
 * `{ observe: true }`, the run as it stood at the deadlock, with its wait-for cycle. Else undefined.
 */
export function snapshotOf(error: unknown): Snapshot | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [SNAPSHOT]?: Snapshot })[SNAPSHOT];
}
