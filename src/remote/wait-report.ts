/**
 * Deadlock detection across stations: what one station reports of its waits, and how the runner
 * joins the reports into one wait-for graph and finds the deadlocked processes in it, by the
 * core's own rule (core/deadlock.ts: the largest set of blocked processes such that every live
 * end of every channel they wait on is held only by them).
 *
 * A process appears in several stations: where it runs (its own record) and at every home where
 * it holds ends (a stand-in). Each appearance is named by aliases — `<runs at>><home>#<pid>` for
 * each link it holds ends through (its pid on that link), `<station>!<n>` for a record there —
 * and aliases that meet are one process. It counts as blocked when exactly one appearance is
 * blocked and none can escape (timer, signal); its other appearances show no operation (a
 * process waiting on a proxy shows none where it runs).
 *
 * A report is only sound on a consistent cut with nothing in flight: each station reports, with
 * its waits, whether its links are quiet and how many messages each carried both ways; the
 * runner acts only when every link is quiet on both sides and the counts agree. Then the state
 * the reports describe did exist, and a deadlock in it lasts (nothing outside the set can act on
 * its channels). So a slow network is never reported: what is in flight makes the counts differ.
 */
import { DeadlockError, type BlockedProcess } from '../core/errors.js';
import type { Blocking, HeldEnd, ProcessRecord, WatchedChannel } from '../core/process-record.js';

export interface ReportedProcess {
  readonly aliases: readonly string[];
  readonly name: string;
  /** Its one blocking operation here, or null. */
  readonly blocked: { readonly escapable: boolean; readonly operation: string; readonly channels: readonly string[] } | null;
}

export interface ReportedChannel {
  readonly key: string;
  readonly name: string;
  /** Per live end, the first alias of each holder that can act on it (keepers aside); [] is the main program. */
  readonly ends: readonly (readonly string[])[];
}

export interface LinkCounts {
  readonly peer: string;
  readonly sent: number;
  readonly received: number;
  readonly quiet: boolean;
}

export interface WaitReport {
  readonly station: string;
  readonly links: readonly LinkCounts[];
  readonly processes: readonly ReportedProcess[];
  readonly channels: readonly ReportedChannel[];
}

/** What a station knows to report its waits. */
export interface WaitSource {
  readonly station: string;
  readonly links: readonly LinkCounts[];
  /** Records that may run or stand in here (the runtime's live set; in a simulated network, every station's). */
  readonly live: Iterable<ProcessRecord>;
  /** The aliases of `record` if it belongs to this station (a stand-in here, or it holds an end of this station), else null. */
  aliasesOf(record: ProcessRecord): readonly string[] | null;
}

const channelKeys = new WeakMap<WatchedChannel, string>();
let nextKey = 1;

function keyOf(station: string, channel: WatchedChannel): string {
  let key = channelKeys.get(channel);
  if (key === undefined) {
    key = `${station}/${nextKey++}`;
    channelKeys.set(channel, key);
  }
  return key;
}

/** A station's report: its blocked processes, the channels they wait on, and who holds those. */
export function reportWaits(source: WaitSource): { readonly report: WaitReport; readonly ops: Map<string, Blocking> } {
  const processes = new Map<ProcessRecord, ReportedProcess>();
  const channels = new Map<WatchedChannel, ReportedChannel>();
  const ops = new Map<string, Blocking>();
  const named = (r: ProcessRecord): readonly string[] | null => {
    const known = processes.get(r);
    if (known !== undefined) return known.aliases;
    const aliases = source.aliasesOf(r);
    if (aliases === null) return null;
    processes.set(r, { aliases, name: r.name, blocked: null });
    return aliases;
  };
  for (const r of source.live) {
    const aliases = named(r);
    if (aliases === null) continue;
    const on = r.blockedOn;
    if (on === null) continue;
    const blocking = on.channelsBlocking();
    processes.set(r, { aliases, name: r.name, blocked: { escapable: on.escapable, operation: on.operation, channels: blocking.map((c) => keyOf(source.station, c)) } });
    ops.set(aliases[0] as string, on);
    for (const c of blocking) {
      if (channels.has(c)) continue;
      const ends: string[][] = [];
      for (const end of c.liveEnds()) ends.push(holdersOf(end, named));
      channels.set(c, { key: keyOf(source.station, c), name: c.name, ends });
    }
  }
  return { report: { station: source.station, links: source.links, processes: [...processes.values()], channels: [...channels.values()] }, ops };
}

function holdersOf(end: HeldEnd, named: (r: ProcessRecord) => readonly string[] | null): string[] {
  const out: string[] = [];
  for (const h of end.holders) {
    if (h.keeper) continue;
    // A holder this station cannot name is someone nobody else can speak for: outside any set.
    out.push(named(h)?.[0] ?? '?');
  }
  return out;
}

/** True when the reports make a consistent cut with nothing in flight. */
export function consistent(reports: readonly WaitReport[]): boolean {
  const counts = new Map<string, LinkCounts>();
  for (const r of reports) for (const l of r.links) counts.set(`${r.station}>${l.peer}`, l);
  for (const r of reports) {
    for (const l of r.links) {
      const back = counts.get(`${l.peer}>${r.station}`);
      if (!l.quiet || back === undefined || !back.quiet || back.received !== l.sent || back.sent !== l.received) return false;
    }
  }
  return true;
}

/** The deadlocked processes in the joined reports: by station, the aliases of those it must fail, and the error. */
export function findGlobalDeadlock(reports: readonly WaitReport[]): { readonly error: DeadlockError; readonly members: Map<string, string[]> } | null {
  // Join aliases into processes (union-find over alias strings).
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let x = a;
    while (parent.has(x) && parent.get(x) !== x) x = parent.get(x) as string;
    parent.set(a, x);
    return x;
  };
  const join = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const r of reports) for (const p of r.processes) for (const a of p.aliases) join(p.aliases[0] as string, a);
  interface Node {
    blocked: { station: string; alias: string; name: string; operation: string; channels: readonly string[] } | null;
    appearances: number;
    unsure: boolean;
  }
  const nodes = new Map<string, Node>();
  for (const r of reports) {
    for (const p of r.processes) {
      const id = find(p.aliases[0] as string);
      const n = nodes.get(id) ?? { blocked: null, appearances: 0, unsure: false };
      nodes.set(id, n);
      if (p.blocked === null) continue;
      if (p.blocked.escapable || n.blocked !== null) n.unsure = true;
      else n.blocked = { station: r.station, alias: p.aliases[0] as string, name: p.name, operation: p.blocked.operation, channels: p.blocked.channels };
    }
  }
  const channels = new Map<string, ReportedChannel>();
  for (const r of reports) for (const c of r.channels) channels.set(c.key, c);
  const stuck = new Set<string>();
  for (const [id, n] of nodes) if (n.blocked !== null && !n.unsure) stuck.add(id);
  const closed = (id: string): boolean => {
    for (const key of (nodes.get(id)?.blocked as { channels: readonly string[] }).channels) {
      const c = channels.get(key);
      if (c === undefined) return false;
      for (const holders of c.ends) {
        if (holders.length === 0) return false;
        for (const h of holders) if (h === '?' || !stuck.has(find(h))) return false;
      }
    }
    return true;
  };
  for (let changed = stuck.size > 0; changed; ) {
    changed = false;
    for (const id of stuck) {
      if (!closed(id)) {
        stuck.delete(id);
        changed = true;
      }
    }
  }
  if (stuck.size === 0) return null;
  const blocked: BlockedProcess[] = [];
  const members = new Map<string, string[]>();
  for (const id of stuck) {
    const b = (nodes.get(id) as Node).blocked as NonNullable<Node['blocked']>;
    blocked.push({ process: b.name, operation: b.operation as BlockedProcess['operation'], channels: b.channels.map((k) => channels.get(k)?.name ?? k) });
    const list = members.get(b.station) ?? [];
    list.push(b.alias);
    members.set(b.station, list);
  }
  return { error: new DeadlockError(blocked), members };
}
