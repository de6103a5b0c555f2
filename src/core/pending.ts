/**
 * What is still pending in a runtime, read-only, for the exit report: the operations processes
 * and the main program wait on, the processes alive but waiting on something else, and the ends
 * held outside every process on the channels concerned. Computed on demand (never on the hot
 * path) from the live processes and the runtime's watch of main-program waits.
 *
 * Invariant: reading the report changes nothing in the runtime.
 */
import { describeWait } from './describe.js';
import type { Blocking, HeldEnd, WatchedChannel } from './process-record.js';
import type { Runtime } from './runtime.js';

/** One operation that waits. */
export interface PendingOperation {
  /** The process that waits, or null for the main program. */
  readonly process: string | null;
  /** `read of "xs"`, `alt over "a", "b"`. */
  readonly what: string;
  /** An abort signal or a timer may end it (if the host is still running to fire it). */
  readonly escapable: boolean;
}

/** An end no process holds (the main program's), on a channel something waits on. */
export interface HeldOutside {
  readonly side: 'reader' | 'writer';
  readonly channel: string;
}

export interface PendingReport {
  readonly operations: readonly PendingOperation[];
  /** Live processes that wait on no operation of theirs on a channel (an end they share, a promise). */
  readonly running: readonly string[];
  readonly heldOutside: readonly HeldOutside[];
}

/** What is pending in `runtime`, or null when nothing is. */
export function pendingReport(runtime: Runtime): PendingReport | null {
  const operations: PendingOperation[] = [];
  const running: string[] = [];
  const channels = new Set<WatchedChannel>();
  const note = (process: string | null, op: Blocking): void => {
    operations.push({ process, what: describeWait(op), escapable: op.escapable });
    for (const c of op.channelsBlocking()) channels.add(c);
  };
  for (const p of runtime.live) {
    const waits = p.waiting();
    if (waits.length === 0) running.push(p.name);
    for (const op of waits) note(p.name, op);
  }
  const seen = new Set<Blocking>();
  for (const w of runtime.watch.mainWaits()) {
    const op = w.choice ?? w;
    if (seen.has(op)) continue;
    seen.add(op);
    note(null, op);
  }
  if (operations.length === 0 && running.length === 0) return null;
  const heldOutside: HeldOutside[] = [];
  for (const c of channels) {
    for (const end of c.liveEnds()) {
      const side = (end as { side?: unknown }).side;
      // An end the main program is itself waiting on is listed with the operation, not here.
      if (end.holders.length !== 0 || (side !== 'reader' && side !== 'writer') || isWaiting(end)) continue;
      heldOutside.push({ side, channel: c.name });
    }
  }
  return { operations, running, heldOutside };
}

function isWaiting(end: HeldEnd): boolean {
  if (end.waits === undefined) return false;
  for (const _ of end.waits()) return true;
  return false;
}

/** The report in words, for stderr: what waits on what, and what to do. */
export function pendingText(report: PendingReport): string {
  const n = report.operations.length;
  const lines = [
    `cspflow: Node is about to exit with ${n} channel operation${n === 1 ? '' : 's'} still pending` +
      (report.running.length > 0 ? ` and ${report.running.length} process${report.running.length === 1 ? '' : 'es'} unfinished` : '') +
      '; nothing left running can complete them:',
  ];
  for (const op of report.operations) {
    const who = op.process === null ? 'the main program' : `process "${op.process}"`;
    const escape = op.escapable ? ' (its abort signal or timer cannot fire once Node exits; AbortSignal.timeout() does not keep Node running)' : '';
    lines.push(`  ${who} is blocked on ${op.what}${escape}`);
  }
  for (const name of report.running) lines.push(`  process "${name}" has not finished, and waits on no channel operation of its own`);
  if (report.heldOutside.length > 0) {
    lines.push('Ends held outside every process (by the main program) on those channels:');
    for (const e of report.heldOutside) {
      const hint = e.side === 'writer' ? 'retire it once the main program is done writing, so readers see the end of the stream' : 'retire it if the main program will not read';
      lines.push(`  the ${e.side} of "${e.channel}": ${hint}`);
    }
  }
  lines.push(
    'Retire or poison the ends the main program holds once it is done with them, and await the network (par, run) before the program ends. ' +
      'The exit code is set to 1.',
  );
  return lines.join('\n');
}
