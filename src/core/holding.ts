/**
 * Who holds an end: the one place that links an end and a process record both ways. Core ends
 * and transport proxies share it, so retirement-by-last-holder means the same everywhere.
 *
 * Invariant: `process` is in `end.holders` iff `end` is in `process.ends` (the ends it was given as
 * it started, and the set `process.more` of the others) — except while `process.releasing`, when
 * its ends are let go one by one and forgotten after.
 *
 * Both removals are O(1) in what the process holds: `process.more` is a set, a given end is
 * counted by its holders alone, and an end's holders are few (one process, or a seq and its
 * current process), removed by swapping with the last.
 */
import type { HeldEnd, ProcessRecord } from './process-record.js';

/** An end whose holders can change. */
export interface HoldableEnd extends HeldEnd {
  holders: ProcessRecord[];
}

/**
 * The holders of an end nobody has held yet, shared (and frozen: never pushed to). An end held by
 * one process shares that process's `alone` list; only an end with two holders or more (a seq and
 * its current process) has a list of its own. So holding an end allocates nothing: a process given
 * 100,000 ends starts and ends without making a list per end (each would be young garbage that
 * the scavenges of a large network copy).
 *
 * A list is shared iff it is NO_HOLDERS or its first holder's `alone`; shared lists are replaced,
 * never changed. An end held by nobody has NO_HOLDERS itself, never another empty list: the hot
 * paths of a core end ask `holders !== NO_HOLDERS`, without reading the list.
 */
export const NO_HOLDERS: ProcessRecord[] = Object.freeze([]) as unknown as ProcessRecord[];

/** `process` starts holding `end`; false if it already did. */
export function addHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  const holders = end.holders;
  if (holders.length === 0) end.holders = process.alone;
  else if (holders.includes(process)) return false;
  else if (holders === (holders[0] as ProcessRecord).alone) end.holders = [holders[0] as ProcessRecord, process];
  else holders.push(process);
  if (end !== process.giving) (process.more ??= new Set()).add(end);
  return true;
}

/**
 * `process` no longer holds `end`; false if it did not. While the process lets go of all its ends
 * at once (`releasing`), its set is left as it is, to be cleared after.
 */
export function removeHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  const holders = end.holders;
  const at = holders.indexOf(process);
  if (at < 0) return false;
  if (holders === process.alone) end.holders = NO_HOLDERS;
  else {
    const last = holders.pop() as ProcessRecord;
    if (at < holders.length) holders[at] = last;
    else if (holders.length === 0) end.holders = NO_HOLDERS;
  }
  if (!process.releasing) process.more?.delete(end);
  return true;
}
