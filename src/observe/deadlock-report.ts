/**
 * The wait-for cycle of a deadlock: process A waits on a channel that only B can complete, B on
 * one only C can, …, back to A. Computed from a DeadlockError (who waits on what) and the ends the
 * deadlocked processes still hold when the first of them ends.
 *
 * Contract: call when the first process ends with `error` — every member then still holds its
 * ends (each lets go only as it ends itself).
 */
import type { DeadlockError } from '../core/errors.js';
import type { ObservedChannel } from '../core/observer.js';
import type { ProcessRecord } from '../core/process-record.js';
import { endsOf, holdersOf } from './describe.js';
import type { DeadlockedProcess, WaitFor } from './events.js';

interface Member {
  /** Its entry in DeadlockError.blocked. */
  readonly index: number;
  readonly record: ProcessRecord;
  readonly operation: 'read' | 'write' | 'alt';
  /** The channels it waits on, with the side it holds there. */
  readonly on: readonly { readonly channel: ObservedChannel; readonly side: 'reader' | 'writer' }[];
}

/** The deadlocked processes (numbered where they could be told apart) and their wait-for cycle. */
export function deadlockReport(
  error: DeadlockError,
  first: ProcessRecord,
  live: Iterable<ProcessRecord>,
  idOf: (p: ProcessRecord) => number,
): { readonly blocked: DeadlockedProcess[]; readonly cycle: WaitFor[] } {
  const members = membersOf(error, [first, ...live]);
  const blocked = error.blocked.map((b, i) => {
    const m = members.find((x) => x.index === i);
    return { process: b.process, id: m === undefined ? 0 : idOf(m.record), operation: b.operation, channels: b.channels };
  });
  return { blocked, cycle: waitForCycle(members, idOf) };
}

function waitForCycle(members: readonly Member[], idOf: (p: ProcessRecord) => number): WaitFor[] {
  const byRecord = new Map(members.map((m) => [m.record, m]));
  const next = new Map<Member, { readonly to: Member; readonly channel: ObservedChannel }>();
  for (const m of members) {
    for (const { channel, side } of m.on) {
      const other = holdersOf(channel, side === 'reader' ? 'writer' : 'reader').map((h) => byRecord.get(h)).find((x) => x !== undefined);
      if (other !== undefined) {
        next.set(m, { to: other, channel });
        break;
      }
    }
  }
  for (const start of members) {
    const path: Member[] = [];
    for (let m: Member | undefined = start; m !== undefined && next.has(m); m = next.get(m)?.to) {
      const at = path.indexOf(m);
      if (at >= 0) return path.slice(at).map((p) => step(p, next.get(p) as { to: Member; channel: ObservedChannel }, idOf));
      path.push(m);
    }
  }
  return [];
}

function step(m: Member, edge: { readonly to: Member; readonly channel: ObservedChannel }, idOf: (p: ProcessRecord) => number): WaitFor {
  return {
    process: m.record.name,
    id: idOf(m.record),
    operation: m.operation,
    channel: edge.channel.name,
    waitsFor: { process: edge.to.record.name, id: idOf(edge.to.record) },
  };
}

/** Pairs each blocked entry of the error with a distinct process holding an end of one of its channels. */
function membersOf(error: DeadlockError, candidates: readonly ProcessRecord[]): Member[] {
  const used = new Set<ProcessRecord>();
  const members: Member[] = [];
  for (const [index, b] of error.blocked.entries()) {
    for (const record of candidates) {
      if (used.has(record) || record.name !== b.process) continue;
      const on = endsOf(record).filter((e) => b.channels.includes(e.channel.name));
      if (on.length === 0) continue;
      used.add(record);
      members.push({ index, record, operation: b.operation, on });
      break;
    }
  }
  return members;
}
