/**
 * Who holds an end: the one place that links an end and a process record both ways. Core ends
 * and transport proxies share it, so retirement-by-last-holder means the same everywhere.
 *
 * Invariant: `process` is in `end.holders` iff `end` is in `process.ends`.
 *
 * Both removals are O(1) in what the process holds: `process.ends` is a set, and an end's holders
 * are few (one process, or a seq and its current process), removed by swapping with the last.
 */
import type { HeldEnd, ProcessRecord } from './process-record.js';

/** An end whose holders can change. */
export interface HoldableEnd extends HeldEnd {
  holders: ProcessRecord[];
}

/**
 * The holders of an end nobody has held yet, shared (and frozen: never pushed to). The first
 * holder replaces it with a list of one, so an end costs no list of its own until it is held.
 */
export const NO_HOLDERS: ProcessRecord[] = Object.freeze([]) as unknown as ProcessRecord[];

/** `process` starts holding `end`; false if it already did. */
export function addHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  if (process.ends.has(end)) return false;
  if (end.holders === NO_HOLDERS) end.holders = [process];
  else end.holders.push(process);
  process.ends.add(end);
  return true;
}

/** `process` no longer holds `end`; false if it did not. */
export function removeHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  if (!process.ends.delete(end)) return false;
  const holders = end.holders;
  const at = holders.indexOf(process);
  const last = holders.pop() as ProcessRecord;
  if (at < holders.length) holders[at] = last;
  return true;
}
