/**
 * Deadlock detection: finds the processes that wait on channels nothing else can complete.
 *
 * A process is a candidate when it has exactly one pending operation and no timer or abort
 * signal can end that wait. The deadlocked set is the largest set S of candidates such that every
 * live end of every channel a member of S waits on is held only by members of S: nobody outside
 * S (no other process, and not the main program, which holds the ends no process holds) can
 * still write, read, retire or poison there. Each member's operation then fails with one shared
 * DeadlockError, so its process ends, poisons its ends and its `par` rejects.
 */
import { DeadlockError, type BlockedProcess } from './errors.js';
import type { Blocking, ProcessRecord } from './process-record.js';

/** Contract: call when no process can make progress without outside help (the runtime is idle). */
export function findDeadlocks(live: ReadonlySet<ProcessRecord>): void {
  const blockedOn = new Map<ProcessRecord, Blocking>();
  for (const p of live) {
    const on = p.blockedOn;
    if (on !== null && !on.escapable) blockedOn.set(p, on);
  }
  const stuck = new Set(blockedOn.keys());
  let changed = stuck.size > 0;
  while (changed) {
    changed = false;
    for (const p of stuck) {
      if (!closedUnder(blockedOn.get(p) as Blocking, stuck)) {
        stuck.delete(p);
        changed = true;
      }
    }
  }
  if (stuck.size === 0) return;
  const members = [...stuck];
  const blocked: BlockedProcess[] = members.map((p) => {
    const on = blockedOn.get(p) as Blocking;
    return { process: p.name, operation: on.operation, channels: on.channelsBlocking().map((c) => c.name) };
  });
  const error = new DeadlockError(blocked);
  for (const p of members) (blockedOn.get(p) as Blocking).abortWith(error);
}

function closedUnder(op: Blocking, set: ReadonlySet<ProcessRecord>): boolean {
  for (const channel of op.channelsBlocking()) {
    for (const end of channel.liveEnds()) {
      // A keeper (a seq) only passes the end on once its current holder ends, so it adds no way out.
      const active = end.holders.filter((h) => !h.keeper);
      if (active.length === 0) return false;
      for (const holder of active) if (!set.has(holder)) return false;
    }
  }
  return true;
}
