/**
 * Watches one run: which processes and channels are its own, how each process ended, and the
 * events for `handle.events()`; its snapshots are built from that (run-snapshot.ts).
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
import type { ObservedChannel } from '../core/observer.js';
import type { ProcessRecord } from '../core/process-record.js';
import type { Runtime as CoreRuntime } from '../core/runtime.js';
import type { Network } from '../runtime/network.js';
import type { Execution } from '../runtime/runtime.js';
import { endingOf, endsOf, summarize } from './describe.js';
import { EventQueue } from './event-queue.js';
import type { CspflowEvent, ErrorSummary } from './events.js';
import { listen, type Hub, type HubListener, type Scope } from './hub.js';
import { LoopMeter } from './loop-meter.js';
import { buildSnapshot, itemsOf, type ProcessInfo, type Sides } from './run-snapshot.js';
import { attachSnapshot, type DeadlockSnapshot, type Snapshot } from './snapshot.js';

/** Events a late or slow `events()` consumer can still get. */
const QUEUE_LIMIT = 10_000;

export interface EventsOptions {
  /** Include process:block and process:resume (one of each per waiting operation). Default true. */
  readonly operations?: boolean;
}

export class RunTracker implements HubListener {
  private readonly channels = new Set<ObservedChannel>();
  /** The processes seen holding each side of each channel (whose counts are whose). */
  private readonly sides: Sides = new Map();
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
    info.ended = { state, items: itemsOf(this.sides, process), ...failed };
  }

  private deadlocked(event: Extract<CspflowEvent, { type: 'deadlock' }>, error: unknown): void {
    this.deadlock = { blocked: event.blocked, cycle: event.cycle };
    if (typeof error === 'object' && error !== null) attachSnapshot(error, this.snapshot());
  }

  /** The run as it stands now (built by run-snapshot.ts). */
  snapshot(): Snapshot {
    this.findStandIns();
    return buildSnapshot({
      runtime: this.runtimeName,
      state: this.state,
      error: this.error,
      deadlock: this.deadlock,
      live: this.core.live,
      declared: this.net.channels,
      channels: this.channels,
      processes: this.processes,
      sides: this.sides,
      reported: this.execution?.workers?.(),
      utilisation: this.meter.sample(),
    });
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
}
