/**
 * What a snapshot of a run says, built from what its tracker has gathered (run-tracker.ts): each
 * channel's counters and waiting operations, each process's state and items, the stages, the
 * workers. Items are counted per channel side: a process's are the values on sides only it has held.
 */
import type { ChannelStats, ObservedChannel } from '../core/observer.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { ChannelDecl } from '../runtime/network.js';
import { declaredKind, kindOf, writtenOf } from './describe.js';
import type { ErrorSummary } from './events.js';
import type { ChannelSnapshot, DeadlockSnapshot, ProcessSnapshot, ProcessState, Snapshot, StageSnapshot, WorkerSnapshot } from './snapshot.js';

/** What a tracker knows of one process. */
export interface ProcessInfo {
  readonly id: number;
  readonly placement: 'main' | 'worker';
  ended: { readonly state: ProcessState; readonly error?: ErrorSummary; readonly items: number | null } | null;
}

/** The processes seen holding each side of each channel (whose counts are whose). */
export type Sides = Map<ObservedChannel, { readonly reader: Set<ProcessRecord>; readonly writer: Set<ProcessRecord> }>;

/** Everything a snapshot is made from. */
export interface RunView {
  readonly runtime: string;
  readonly state: Snapshot['state'];
  readonly error: ErrorSummary | undefined;
  readonly deadlock: DeadlockSnapshot | undefined;
  /** The processes alive in this thread's runtime now. */
  readonly live: ReadonlySet<ProcessRecord>;
  readonly declared: readonly ChannelDecl<unknown>[];
  readonly channels: ReadonlySet<ObservedChannel>;
  readonly processes: ReadonlyMap<ProcessRecord, ProcessInfo>;
  readonly sides: Sides;
  /** The workers the runtime reports, if it does. */
  readonly reported: readonly WorkerSnapshot[] | undefined;
  /** This thread's event loop utilisation since the previous snapshot. */
  readonly utilisation: number;
}

export function buildSnapshot(run: RunView): Snapshot {
  const processes = [...run.processes].map(([record, info]) => processSnapshot(run, record, info));
  return {
    runtime: run.runtime,
    state: run.state,
    channels: channelSnapshots(run),
    processes,
    stages: stages(run, processes),
    workers: workers(run, processes),
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.deadlock === undefined ? {} : { deadlock: run.deadlock }),
  };
}

function channelSnapshots(run: RunView): ChannelSnapshot[] {
  const seen = new Set<string>();
  const out: ChannelSnapshot[] = [];
  for (const c of run.channels) {
    seen.add(c.name);
    const stats = c.stats;
    out.push({
      name: c.name,
      kind: kindOf(c),
      capacity: c.buffer?.capacity ?? 0,
      state: c.poisoned !== null ? 'poisoned' : c.readersRetired || c.writersRetired ? 'retired' : 'open',
      depth: c.buffer?.size ?? 0,
      written: stats === null ? null : writtenOf(stats, c),
      read: stats?.read ?? null,
      dropped: stats?.dropped ?? null,
      blockedReaders: c.takers.length,
      blockedWriters: c.putters.length,
      home: 'main',
    });
  }
  // Declared channels never seen here live in a worker (home: 'reader').
  for (const decl of run.declared) {
    if (seen.has(decl.name)) continue;
    const { kind, capacity } = declaredKind(decl.options.buffer);
    out.push({ name: decl.name, kind, capacity, state: 'unknown', depth: null, written: null, read: null, dropped: null, blockedReaders: null, blockedWriters: null, home: 'worker' });
  }
  return out;
}

function processSnapshot(run: RunView, record: ProcessRecord, info: ProcessInfo): ProcessSnapshot {
  const base = { id: info.id, name: record.name, placement: info.placement };
  if (info.ended !== null) return { ...base, ...info.ended };
  const deadlocked = run.deadlock?.blocked.find((b) => b.id === info.id);
  const items = itemsOf(run.sides, record);
  if (deadlocked !== undefined) return { ...base, state: 'deadlocked', items, on: { operation: deadlocked.operation, channels: deadlocked.channels } };
  if (!run.live.has(record)) return { ...base, state: info.placement === 'worker' ? 'ended' : 'done', items };
  const waiting = record.waiting();
  if (waiting.length === 0) return { ...base, state: 'running', items };
  const operation = waiting.length === 1 ? (waiting[0] as (typeof waiting)[number]).operation : 'alt';
  const channels = [...new Set(waiting.flatMap((w) => w.channelsBlocking().map((c) => c.name)))];
  return { ...base, state: 'blocked', items, on: { operation, channels } };
}

/** Values `process` wrote on channels only it ever wrote; if none, read on those only it ever read. */
export function itemsOf(sides: Sides, process: ProcessRecord): number | null {
  const mine = (side: 'reader' | 'writer'): ObservedChannel[] =>
    [...sides].filter(([c, s]) => c.stats !== null && s[side].size === 1 && s[side].has(process)).map(([c]) => c);
  return total(mine('writer'), mine('reader'));
}

/** Values written on `out`, or if there are none, read on `inn`; null when both are empty. */
function total(out: readonly ObservedChannel[], inn: readonly ObservedChannel[]): number | null {
  if (out.length > 0) return out.reduce((n, c) => n + writtenOf(c.stats as ChannelStats, c), 0);
  if (inn.length > 0) return inn.reduce((n, c) => n + (c.stats as ChannelStats).read, 0);
  return null;
}

function stages(run: RunView, processes: readonly ProcessSnapshot[]): StageSnapshot[] {
  const byName = new Map<string, ProcessSnapshot[]>();
  for (const p of processes) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  return [...byName].map(([name, ps]) => {
    const states: Partial<Record<ProcessState, number>> = {};
    for (const p of ps) states[p.state] = (states[p.state] ?? 0) + 1;
    const only = (side: 'reader' | 'writer'): ObservedChannel[] =>
      [...run.sides].filter(([c, s]) => c.stats !== null && s[side].size > 0 && [...s[side]].every((p) => p.name === name)).map(([c]) => c);
    return { name, processes: ps.length, items: total(only('writer'), only('reader')), states };
  });
}

function workers(run: RunView, processes: readonly ProcessSnapshot[]): WorkerSnapshot[] {
  const here = { id: 'main', utilisation: run.utilisation, processes: count(processes, 'main') };
  if (run.reported !== undefined) return [here, ...run.reported];
  const remote = count(processes, 'worker');
  return remote === 0 ? [here] : [here, { id: 'workers', utilisation: null, processes: remote }];
}

/** Live processes placed at `placement`. */
function count(processes: readonly ProcessSnapshot[], placement: 'main' | 'worker'): number {
  return processes.filter((p) => p.placement === placement && (p.state === 'running' || p.state === 'blocked')).length;
}
