/**
 * What `cspflow inspect` asks and hears: one request on `<prefix>.inspect`, answered by every
 * worker (its load, the runs it takes part in, the processes running there, the channels living
 * there) and by every runner in a run (its run id, its workers, the channels living with it and
 * their depths). Plain JSON, checked on receipt: a malformed answer is dropped, and a responder
 * never throws on a malformed request. An answer says what runs where and how full each channel
 * is — never a value, an argument or a credential.
 *
 *   inspector → <prefix>.inspect   {v: 1}
 *   worker    → reply              {v: 1, role: 'worker', id, capacity, running, draining, processes, runs: [{run, runner, processes, channels}]}
 *   runner    → reply              {v: 1, role: 'runner', id, run, workers, channels}
 */
import type { HomeChannels } from '../../remote/home-channels.js';
import { encodeControl, parseDiscover } from './control.js';
import type { BusMessage, BusSubscription, NatsBus } from './nats-client.js';

export interface ChannelRow {
  readonly name: string;
  readonly kind: 'rendezvous' | 'fixed' | 'dropping' | 'sliding';
  readonly capacity: number;
  readonly depth: number;
  readonly state: 'open' | 'retired' | 'poisoned';
}

/** A process name and how many instances of it run there now. */
export interface ProcessRow {
  readonly name: string;
  readonly count: number;
}

export interface WorkerRun {
  readonly run: string;
  readonly runner: string;
  readonly processes: readonly ProcessRow[];
  readonly channels: readonly ChannelRow[];
}

export interface WorkerReport {
  readonly v: 1;
  readonly role: 'worker';
  readonly id: string;
  readonly capacity: number;
  readonly running: number;
  readonly draining: boolean;
  /** The process names it can run. */
  readonly processes: readonly string[];
  readonly runs: readonly WorkerRun[];
}

export interface RunnerReport {
  readonly v: 1;
  readonly role: 'runner';
  /** The runner's peer id in its run. */
  readonly id: string;
  readonly run: string;
  readonly workers: readonly string[];
  readonly channels: readonly ChannelRow[];
}

export type InspectReport = WorkerReport | RunnerReport;

/** The channels living in a station, as rows. */
export function channelRows(channels: HomeChannels): ChannelRow[] {
  return channels.list().map(({ core }) => ({
    name: core.name,
    kind: core.buffer === null ? 'rendezvous' : core.overflow === 'wait' ? 'fixed' : core.overflow === 'drop-newest' ? 'dropping' : 'sliding',
    capacity: core.buffer?.capacity ?? 0,
    depth: core.buffer?.size ?? 0,
    state: core.poisoned !== null ? 'poisoned' : core.readersRetired || core.writersRetired ? 'retired' : 'open',
  }));
}

/** Answers every inspect request on `subject` with `report()`. */
export function serveInspect(bus: NatsBus, subject: string, report: () => InspectReport): BusSubscription {
  return bus.subscribe(subject, (m: BusMessage) => {
    if (m.reply === undefined || !parseDiscover(m.data)) return;
    bus.publish(m.reply, new TextEncoder().encode(JSON.stringify(report())));
  });
}

/** Asks every worker and runner under `subject`; waits up to `maxWaitMs` (less once answers stop). */
export async function inspectAll(bus: NatsBus, subject: string, maxWaitMs: number): Promise<InspectReport[]> {
  const answers = await bus.gather(subject, encodeControl({ v: 1 }), { maxWaitMs, stallMs: Math.min(200, maxWaitMs) });
  const reports: InspectReport[] = [];
  for (const answer of answers) {
    const report = parseReport(answer.data);
    if (report !== null) reports.push(report);
  }
  return reports;
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isArrayOf = <T>(x: unknown, each: (y: unknown) => y is T): x is T[] => Array.isArray(x) && x.every(each);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const KINDS = new Set(['rendezvous', 'fixed', 'dropping', 'sliding']);
const STATES = new Set(['open', 'retired', 'poisoned']);

function isChannelRow(x: unknown): x is ChannelRow {
  return isRecord(x) && isString(x['name']) && KINDS.has(x['kind'] as string) && isCount(x['capacity']) && isCount(x['depth']) && STATES.has(x['state'] as string);
}

function isProcessRow(x: unknown): x is ProcessRow {
  return isRecord(x) && isString(x['name']) && isCount(x['count']);
}

function isWorkerRun(x: unknown): x is WorkerRun {
  return isRecord(x) && isString(x['run']) && isString(x['runner']) && isArrayOf(x['processes'], isProcessRow) && isArrayOf(x['channels'], isChannelRow);
}

/** The report in `bytes`, or null if it is not one. */
export function parseReport(bytes: Uint8Array): InspectReport | null {
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (!isRecord(m) || m['v'] !== 1 || !isString(m['id'])) return null;
  if (m['role'] === 'worker') {
    const ok = isCount(m['capacity']) && isCount(m['running']) && typeof m['draining'] === 'boolean' && isArrayOf(m['processes'], isString) && isArrayOf(m['runs'], isWorkerRun);
    return ok ? (m as unknown as WorkerReport) : null;
  }
  if (m['role'] === 'runner') {
    const ok = isString(m['run']) && isArrayOf(m['workers'], isString) && isArrayOf(m['channels'], isChannelRow);
    return ok ? (m as unknown as RunnerReport) : null;
  }
  return null;
}
