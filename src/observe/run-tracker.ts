/**
 * Watches one run: which processes and channels are its own, how each process ended, and the
 * events for `handle.events()`; builds its snapshots.
 *
 * Several runs may share a thread's runtime, so a tracker keeps only what is its own:
 * - what is made while the runtime executes the network (`claim`) is the run's;
 * - a channel made by one of the run's processes, or given to one of them, is the run's;
 * - a process holding an end of one of the run's channels is the run's;
 * - an event is the run's when its process or one of its channels is.
 * Processes of a worker thread appear here as the stand-ins that hold their ends on this thread
 * (found when a snapshot is taken); how they ended is not known here.
 *
 * Invariants:
 * - `channels` and `processes` only grow (a finished run still reports its final state);
 * - the backlog holds the run's lifecycle events (no blocks or resumes) until events() takes it.
 */
import type { ChannelStats, ObservedChannel } from '../core/observer.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { Runtime as CoreRuntime } from '../core/runtime.js';
import type { Network } from '../runtime/network.js';
import type { Execution } from '../runtime/runtime.js';
import { declaredKind, endingOf, endsOf, kindOf, summarize, writtenOf } from './describe.js';
import { EventQueue } from './event-queue.js';
import type { CspflowEvent, ErrorSummary } from './events.js';
import { listen, type Hub, type HubListener, type Scope } from './hub.js';
import { LoopMeter } from './loop-meter.js';
import { attachSnapshot, type ChannelSnapshot, type DeadlockSnapshot, type ProcessSnapshot, type ProcessState, type Snapshot, type StageSnapshot, type WorkerSnapshot } from './snapshot.js';

/** Events a late or slow `events()` consumer can still get. */
const QUEUE_LIMIT = 10_000;

interface ProcessInfo {
  readonly id: number;
  readonly placement: 'main' | 'worker';
  ended: { readonly state: ProcessState; readonly error?: ErrorSummary; readonly items: number | null } | null;
}

export interface EventsOptions {
  /** Include process:block and process:resume (one of each per waiting operation). Default true. */
  readonly operations?: boolean;
}

export class RunTracker implements HubListener {
  private readonly channels = new Set<ObservedChannel>();
  /** The processes seen holding each side of each channel (whose counts are whose). */
  private readonly sides = new Map<ObservedChannel, { readonly reader: Set<ProcessRecord>; readonly writer: Set<ProcessRecord> }>();
  private readonly processes = new Map<ProcessRecord, ProcessInfo>();
  private readonly queues = new Map<EventQueue, boolean>();
  private backlog: EventQueue | null = new EventQueue(QUEUE_LIMIT);
  private claiming = false;
  private readonly hub: Hub;
  private readonly stopListening: () => void;
  private readonly meter = new LoopMeter();
  private state: Snapshot['state'] = 'running';
  private error: ErrorSummary | undefined;
  private deadlock: DeadlockSnapshot | undefined;
  private execution: Execution | null = null;

  constructor(
    private readonly core: CoreRuntime,
    private readonly net: Network,
    private readonly runtimeName: string,
    /** True when processes may run in other threads (their stand-ins are looked for on each lifecycle event). */
    private readonly remote: boolean,
  ) {
    const { hub, stop } = listen(core, this);
    this.hub = hub;
    this.stopListening = stop;
  }

  get wantsOperations(): boolean {
    for (const operations of this.queues.values()) if (operations) return true;
    return false;
  }

  /** Runs `execute` (the runtime starting the network); what it makes meanwhile is this run's. */
  claim(execute: () => Execution): Execution {
    this.claiming = true;
    try {
      this.execution = execute();
      return this.execution;
    } finally {
      this.claiming = false;
    }
  }

  /** Reports an event of this run (its start, a runtime's worker or connection event). */
  report(event: CspflowEvent): void {
    this.hub.emit(event, { process: null, channels: [], run: this });
  }

  /** The run has settled: reports run:end, stops watching, ends every events() stream once drained. */
  finish(error: unknown): void {
    const failed = error !== undefined;
    this.state = failed ? 'failed' : 'done';
    if (failed) this.error = summarize(error);
    this.report({ type: 'run:end', ok: !failed, ...(failed ? { error: summarize(error) } : {}) });
    this.stopListening();
    this.backlog?.close();
    for (const q of this.queues.keys()) q.close();
  }

  /** An async iterable of this run's events; the first call gets them from the run's start. */
  events(options: EventsOptions = {}): AsyncIterableIterator<CspflowEvent> {
    const operations = options.operations ?? true;
    if (typeof operations !== 'boolean') throw new TypeError(`handle.events({ operations }): operations must be a boolean, got ${String(operations)}`);
    const queue = this.backlog ?? new EventQueue(QUEUE_LIMIT);
    this.backlog = null;
    if (this.state !== 'running') {
      queue.close();
      return queue;
    }
    queue.onStop = () => {
      this.queues.delete(queue);
      this.hub.refresh();
    };
    this.queues.set(queue, operations);
    this.hub.refresh();
    return queue;
  }

  // ---- HubListener ---------------------------------------------------------------------------

  event(event: CspflowEvent, scope: Scope): void {
    if (!this.owns(event, scope)) return;
    if (this.remote && event.type !== 'process:block' && event.type !== 'process:resume') this.findStandIns();
    if (event.type === 'process:end' && scope.process !== null) this.ended(scope.process, scope.error);
    if (event.type === 'deadlock') this.deadlocked(event, scope.error);
    const operation = event.type === 'process:block' || event.type === 'process:resume';
    if (!operation) this.backlog?.push(event);
    for (const [q, operations] of this.queues) if (operations || !operation) q.push(event);
  }

  private owns(event: CspflowEvent, scope: Scope): boolean {
    if (scope.run !== undefined) return scope.run === this;
    if (event.type === 'channel:create') {
      const [channel] = scope.channels;
      if (channel === undefined || !(this.claiming || (scope.process !== null && this.processes.has(scope.process)))) return false;
      this.channels.add(channel);
      return true;
    }
    const mine = this.claiming || (scope.process !== null && this.processes.has(scope.process)) || scope.channels.some((c) => this.channels.has(c));
    if (mine && scope.process !== null) this.adopt(scope.process);
    return mine;
  }

  /** `process` is this run's; so are the channels it holds ends of. */
  private adopt(process: ProcessRecord): void {
    if (!this.processes.has(process)) this.processes.set(process, { id: this.hub.idOf(process), placement: this.hub.placementOf(process), ended: null });
    this.noteEnds(process);
  }

  /** Records the channels `process` holds ends of now (it may make more while it starts). */
  private noteEnds(process: ProcessRecord): void {
    for (const { channel, side } of endsOf(process)) {
      this.channels.add(channel);
      let sides = this.sides.get(channel);
      if (sides === undefined) this.sides.set(channel, (sides = { reader: new Set(), writer: new Set() }));
      sides[side].add(process);
    }
  }

  private ended(process: ProcessRecord, error: unknown): void {
    const info = this.processes.get(process);
    if (info === undefined || info.ended !== null) return;
    this.noteEnds(process);
    const state = endingOf(error);
    const failed = state === 'failed' ? { error: summarize(error) } : {};
    info.ended = { state, items: this.itemsOf(process), ...failed };
  }

  private deadlocked(event: Extract<CspflowEvent, { type: 'deadlock' }>, error: unknown): void {
    this.deadlock = { blocked: event.blocked, cycle: event.cycle };
    if (typeof error === 'object' && error !== null) attachSnapshot(error, this.snapshot());
  }

  // ---- snapshots -----------------------------------------------------------------------------

  snapshot(): Snapshot {
    this.findStandIns();
    const processes = [...this.processes].map(([record, info]) => this.processSnapshot(record, info));
    const snapshot: Snapshot = {
      runtime: this.runtimeName,
      state: this.state,
      channels: this.channelSnapshots(),
      processes,
      stages: this.stages(processes),
      workers: this.workers(processes),
      ...(this.error === undefined ? {} : { error: this.error }),
      ...(this.deadlock === undefined ? {} : { deadlock: this.deadlock }),
    };
    return snapshot;
  }

  /**
   * Processes of worker threads hold their ends here through stand-ins, which start and end with
   * no event: adopt those holding ours (seen only while they hold them).
   */
  private findStandIns(): void {
    for (const record of this.core.live) {
      if (this.processes.has(record)) this.noteEnds(record);
      else if (endsOf(record).some((e) => this.channels.has(e.channel))) this.adopt(record);
    }
  }

  private channelSnapshots(): ChannelSnapshot[] {
    const seen = new Set<string>();
    const out: ChannelSnapshot[] = [];
    for (const c of this.channels) {
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
    for (const decl of this.net.channels) {
      if (seen.has(decl.name)) continue;
      const { kind, capacity } = declaredKind(decl.options.buffer);
      out.push({ name: decl.name, kind, capacity, state: 'unknown', depth: null, written: null, read: null, dropped: null, blockedReaders: null, blockedWriters: null, home: 'worker' });
    }
    return out;
  }

  private processSnapshot(record: ProcessRecord, info: ProcessInfo): ProcessSnapshot {
    const base = { id: info.id, name: record.name, placement: info.placement };
    if (info.ended !== null) return { ...base, ...info.ended };
    const deadlocked = this.deadlock?.blocked.find((b) => b.id === info.id);
    if (deadlocked !== undefined) return { ...base, state: 'deadlocked', items: this.itemsOf(record), on: { operation: deadlocked.operation, channels: deadlocked.channels } };
    if (!this.core.live.has(record)) return { ...base, state: info.placement === 'worker' ? 'ended' : 'done', items: this.itemsOf(record) };
    const waiting = record.waiting();
    const items = this.itemsOf(record);
    if (waiting.length === 0) return { ...base, state: 'running', items };
    const operation = waiting.length === 1 ? (waiting[0] as (typeof waiting)[number]).operation : 'alt';
    const channels = [...new Set(waiting.flatMap((w) => w.channelsBlocking().map((c) => c.name)))];
    return { ...base, state: 'blocked', items, on: { operation, channels } };
  }

  /** Values `process` wrote on channels only it ever wrote; if none, read on those only it ever read. */
  private itemsOf(process: ProcessRecord): number | null {
    const mine = (side: 'reader' | 'writer'): ObservedChannel[] =>
      [...this.sides].filter(([c, s]) => c.stats !== null && s[side].size === 1 && s[side].has(process)).map(([c]) => c);
    return this.total(mine('writer'), mine('reader'));
  }

  /** Values written on `out`, or if there are none, read on `inn`; null when both are empty. */
  private total(out: readonly ObservedChannel[], inn: readonly ObservedChannel[]): number | null {
    if (out.length > 0) return out.reduce((n, c) => n + writtenOf(c.stats as ChannelStats, c), 0);
    if (inn.length > 0) return inn.reduce((n, c) => n + (c.stats as ChannelStats).read, 0);
    return null;
  }

  private stages(processes: readonly ProcessSnapshot[]): StageSnapshot[] {
    const byName = new Map<string, ProcessSnapshot[]>();
    for (const p of processes) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    return [...byName].map(([name, ps]) => {
      const states: Partial<Record<ProcessState, number>> = {};
      for (const p of ps) states[p.state] = (states[p.state] ?? 0) + 1;
      const only = (side: 'reader' | 'writer'): ObservedChannel[] =>
        [...this.sides].filter(([c, s]) => c.stats !== null && s[side].size > 0 && [...s[side]].every((p) => p.name === name)).map(([c]) => c);
      return { name, processes: ps.length, items: this.total(only('writer'), only('reader')), states };
    });
  }

  private workers(processes: readonly ProcessSnapshot[]): WorkerSnapshot[] {
    const reported = this.execution?.workers?.();
    const here = { id: 'main', utilisation: this.meter.sample(), processes: count(processes, 'main') };
    if (reported !== undefined) return [here, ...reported];
    const remote = count(processes, 'worker');
    return remote === 0 ? [here] : [here, { id: 'workers', utilisation: null, processes: remote }];
  }
}

/** Live processes placed at `placement`. */
function count(processes: readonly ProcessSnapshot[], placement: 'main' | 'worker'): number {
  return processes.filter((p) => p.placement === placement && (p.state === 'running' || p.state === 'blocked')).length;
}
