/**
 * Who holds an end: the one place that links an end and a process record both ways. Core ends
 * and transport proxies share it, so retirement-by-last-holder means the same everywhere.
 *
 * Invariant: `process` is in `end.holders` iff `end` is in `process.ends`.
 */
import type { HeldEnd, ProcessRecord } from './process-record.js';

/** An end whose holders can change. */
export interface HoldableEnd extends HeldEnd {
  readonly holders: ProcessRecord[];
}

/** `process` starts holding `end`; false if it already did. */
export function addHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  if (end.holders.includes(process)) return false;
  end.holders.push(process);
  process.ends.push(end);
  return true;
}

/** `process` no longer holds `end`; false if it did not. */
export function removeHolder(end: HoldableEnd, process: ProcessRecord): boolean {
  const at = end.holders.indexOf(process);
  if (at < 0) return false;
  end.holders.splice(at, 1);
  const mine = process.ends.indexOf(end);
  if (mine >= 0) process.ends.splice(mine, 1);
  return true;
}
