/**
 * The observer installed on a core runtime while anything watches it: it turns the core's calls
 * (core/observer.ts) into typed events, gives every process a number, and hands each event to its
 * listeners (runs being tracked, `watch` callbacks) and to the diagnostics channels.
 *
 * Invariants:
 * - `runtime.observer === this` iff this hub has at least one listener;
 * - a process:resume is reported only for an operation reported blocked (and at most once);
 * - one deadlock event per DeadlockError, however many of its processes end with it.
 */
import { DeadlockError, isTermination, type PoisonError } from '../core/errors.js';
import type { ChannelStats, ObservedChannel, RuntimeObserver } from '../core/observer.js';
import type { Blocking, ProcessRecord } from '../core/process-record.js';
import type { Runtime } from '../core/runtime.js';
import { deadlockReport } from './deadlock-report.js';
import { endingOf, endsOf, kindOf, reasonText, summarize } from './describe.js';
import { DiagnosticsPublisher } from './diagnostics.js';
import type { CspflowEvent } from './events.js';

/** What an event concerns, for listeners that keep only their own run's events. */
export interface Scope {
  readonly process: ProcessRecord | null;
  readonly channels: readonly ObservedChannel[];
  /** The error a process ended with, or the DeadlockError of a deadlock event. */
  readonly error?: unknown;
  /** The run a run:start or run:end event is about. */
  readonly run?: object;
}

export interface HubListener {
  /**
   * True while this listener wants process:block and process:resume (made on every waiting
   * operation). Read when the listener is added and on `hub.refresh()`: call that when it changes.
   */
  readonly wantsOperations: boolean;
  event(event: CspflowEvent, scope: Scope): void;
}

export class Hub implements RuntimeObserver {
  private readonly listeners = new Set<HubListener>();
  private readonly ids = new WeakMap<ProcessRecord, number>();
  private nextId = 1;
  /** Operations reported blocked and not yet resumed, with their process's number. */
  private readonly waiting = new Map<Blocking, number>();
  private readonly deadlocks = new WeakSet<DeadlockError>();
  /** Processes started in this thread (the others in `live` are stand-ins of processes elsewhere). */
  private readonly here = new WeakSet<ProcessRecord>();
  private readonly diagnostics = new DiagnosticsPublisher();
  /** Listeners wanting per-operation events (kept, so a waiting operation does not ask each listener). */
  private wanting = 0;

  constructor(readonly runtime: Runtime) {}

  /** The number of `process` in this runtime (stable for its life; given on first sight). */
  idOf(process: ProcessRecord): number {
    let id = this.ids.get(process);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(process, id);
    }
    return id;
  }

  /** Where `process` runs: here, or elsewhere (a stand-in holding its ends here). */
  placementOf(process: ProcessRecord): 'main' | 'worker' {
    return this.here.has(process) ? 'main' : 'worker';
  }

  add(listener: HubListener): void {
    this.listeners.add(listener);
    this.refresh();
  }

  /** Removes `listener`; true when none is left. */
  remove(listener: HubListener): boolean {
    this.listeners.delete(listener);
    this.refresh();
    return this.listeners.size === 0;
  }

  /** A listener's wantsOperations may have changed. */
  refresh(): void {
    let n = 0;
    for (const l of this.listeners) if (l.wantsOperations) n++;
    this.wanting = n;
  }

  /** Reports an event that did not come from the core (a run starting or ending, a worker joining). */
  emit(event: CspflowEvent, scope: Scope): void {
    this.diagnostics.publish(event);
    for (const l of this.listeners) l.event(event, scope);
  }

  /** The core calls this and the methods below (core/observer.ts); a channel made now counts. */
  channelCreated(channel: ObservedChannel): ChannelStats {
    const stats: ChannelStats = { read: 0, dropped: 0 };
    const capacity = channel.buffer?.capacity ?? 0;
    this.emit({ type: 'channel:create', channel: channel.name, kind: kindOf(channel), capacity }, { process: this.runtime.current, channels: [channel] });
    return stats;
  }

  channelRetired(channel: ObservedChannel, side: 'reader' | 'writer'): void {
    this.emit({ type: 'channel:retire', channel: channel.name, side }, { process: null, channels: [channel] });
  }

  channelPoisoned(channel: ObservedChannel, error: PoisonError): void {
    const by = error.origin.process;
    this.emit(
      { type: 'channel:poison', channel: channel.name, reason: reasonText(error.reason), ...(by === undefined ? {} : { by }) },
      { process: null, channels: [channel] },
    );
  }

  processStarted(process: ProcessRecord): void {
    this.here.add(process);
    const channels = endsOf(process).map((e) => e.channel);
    this.emit({ type: 'process:start', process: process.name, id: this.idOf(process) }, { process, channels });
  }

  processEnded(process: ProcessRecord, error: unknown): void {
    const channels = endsOf(process).map((e) => e.channel);
    const id = this.idOf(process);
    const how = endingOf(error);
    const failed = error !== undefined && !isTermination(error);
    if (error instanceof DeadlockError && !this.deadlocks.has(error)) {
      this.deadlocks.add(error);
      const { blocked, cycle } = deadlockReport(error, process, this.runtime.live, (p) => this.idOf(p));
      this.emit({ type: 'deadlock', blocked, cycle }, { process, channels, error });
    }
    this.emit({ type: 'process:end', process: process.name, id, how, ...(failed ? { error: summarize(error) } : {}) }, { process, channels, error });
  }

  blocked(operation: Blocking, process: ProcessRecord | null): void {
    if (!this.operationsWanted()) return;
    const id = process === null ? 0 : this.idOf(process);
    this.waiting.set(operation, id);
    const channels = operation.channelsBlocking() as readonly ObservedChannel[];
    this.emit(
      { type: 'process:block', process: process?.name ?? 'main', id, operation: operation.operation, channels: channels.map((c) => c.name) },
      { process, channels },
    );
  }

  resumed(operation: Blocking, process: ProcessRecord | null): void {
    if (this.waiting.size === 0) return;
    const id = this.waiting.get(operation);
    if (id === undefined) return;
    this.waiting.delete(operation);
    this.emit({ type: 'process:resume', process: process?.name ?? 'main', id }, { process, channels: operation.channelsBlocking() as readonly ObservedChannel[] });
  }

  private operationsWanted(): boolean {
    return this.wanting > 0 || this.diagnostics.operationsWanted();
  }
}

/**
 * Adds `listener` to the hub of `runtime`, installing the hub if none is there; returns the hub
 * and a function that removes the listener (and the hub with the last one).
 */
export function listen(runtime: Runtime, listener: HubListener): { readonly hub: Hub; readonly stop: () => void } {
  const current = runtime.observer;
  if (current !== null && !(current instanceof Hub)) throw new Error('cspflow: another observer is installed on this runtime');
  const hub = current ?? new Hub(runtime);
  runtime.observer = hub;
  hub.add(listener);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (hub.remove(listener) && runtime.observer === hub) runtime.observer = null;
  };
  return { hub, stop };
}
