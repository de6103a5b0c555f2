/**
 * The progress of `cspflow run`, drawn from snapshots: on a terminal a block redrawn in place
 * (items and rate per stage, depth and rate per channel, threads); otherwise one plain line per
 * update; with --json one JSON object per line. Rates come from the difference of two snapshots.
 */
import type { ErrorSummary, Snapshot } from '../index.js';

export type ProgressMode = 'tty' | 'plain' | 'json';

export interface Outcome {
  readonly ok: boolean;
  readonly error?: ErrorSummary;
  readonly interrupted?: boolean;
}

interface Sample {
  readonly at: number;
  readonly snapshot: Snapshot;
}

const num = (n: number | null): string => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Per-second rates of stage items and channel writes between two samples (null when unknown). */
export function rates(previous: Sample | null, now: Sample): { readonly stages: Map<string, number | null>; readonly channels: Map<string, number | null> } {
  const dt = previous === null ? 0 : (now.at - previous.at) / 1000;
  const rate = (a: number | null | undefined, b: number | null): number | null => (dt <= 0 || a === null || a === undefined || b === null ? null : (b - a) / dt);
  const before = new Map(previous?.snapshot.stages.map((s) => [s.name, s.items]));
  const chBefore = new Map(previous?.snapshot.channels.map((c) => [c.name, c.written]));
  return {
    stages: new Map(now.snapshot.stages.map((s) => [s.name, rate(before.get(s.name), s.items)])),
    channels: new Map(now.snapshot.channels.map((c) => [c.name, rate(chBefore.get(c.name), c.written)])),
  };
}

function stageLabel(name: string, processes: number): string {
  return processes > 1 ? `${name} ×${processes}` : name;
}

function statesText(states: Snapshot['stages'][number]['states'], processes: number): string {
  return Object.entries(states)
    .map(([state, n]) => (processes > 1 ? `${n} ${state}` : state))
    .join(', ');
}

function depthText(c: Snapshot['channels'][number]): string {
  if (c.depth === null) return 'in a worker';
  return c.kind === 'rendezvous' ? 'rendezvous' : `${c.depth}/${c.capacity}`;
}

/** One line: elapsed, state, then each stage's items (and rate) and each channel's depth. */
export function plainLine(sample: Sample, elapsed: number, r: ReturnType<typeof rates>): string {
  const s = sample.snapshot;
  const stages = s.stages.map((st) => {
    const rate = r.stages.get(st.name);
    return `${stageLabel(st.name, st.processes)} ${num(st.items)}${rate === null || rate === undefined ? '' : ` (${num(rate)}/s)`}`;
  });
  const channels = s.channels.map((c) => `${c.name} ${depthText(c)}`);
  return `[${secs(elapsed)}] ${s.state} · ${stages.join(' · ')} | ${channels.join(' · ')}`;
}

/** The block drawn on a terminal. */
export function ttyBlock(title: string, sample: Sample, elapsed: number, r: ReturnType<typeof rates>): string[] {
  const s = sample.snapshot;
  const rows = (header: string[], body: string[][]): string[] => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
    const line = (cells: string[]): string => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('   ')}`;
    return [line(header), ...body.map(line)];
  };
  const stageRows = s.stages.map((st) => [stageLabel(st.name, st.processes), statesText(st.states, st.processes), num(st.items), num(r.stages.get(st.name) ?? null)]);
  const channelRows = s.channels.map((c) => [
    c.name,
    depthText(c),
    num(c.written),
    num(r.channels.get(c.name) ?? null),
    `${c.blockedReaders ?? '—'} r / ${c.blockedWriters ?? '—'} w`,
  ]);
  const workerRows = s.workers.map((w) => [w.id, w.utilisation === null ? '—' : `${Math.round(w.utilisation * 100)}%`, String(w.processes)]);
  return [
    `${title} · ${s.runtime} · ${secs(elapsed)} · ${s.state}`,
    ...rows(['stage', 'state', 'items', 'rate/s'], stageRows),
    ...rows(['channel', 'depth', 'written', 'rate/s', 'waiting'], channelRows),
    ...rows(['thread', 'busy', 'processes'], workerRows),
  ];
}

/** What a run ended with, for people: a summary line, or the error (and a deadlock's cycle). */
export function outcomeText(snapshot: Snapshot, elapsed: number, outcome: Outcome): string {
  if (outcome.ok) {
    const what = outcome.interrupted ? 'stopped' : 'done';
    return `${what} in ${secs(elapsed)} · ${snapshot.stages.map((st) => `${stageLabel(st.name, st.processes)} ${num(st.items)}`).join(' · ')}`;
  }
  const e = outcome.error;
  const lines = [`failed after ${secs(elapsed)}: ${e === undefined ? 'unknown error' : `${e.name}: ${e.message}`}${e?.process === undefined ? '' : `\n  in process "${e.process}"`}`];
  const d = snapshot.deadlock;
  if (d !== undefined && d.cycle.length > 0) {
    lines.push('  wait-for cycle:');
    for (const w of d.cycle) lines.push(`    ${w.process} #${w.id} waits to ${w.operation} "${w.channel}", which only ${w.waitsFor.process} #${w.waitsFor.id} can complete`);
  }
  return lines.join('\n');
}

export class ProgressView {
  private previous: Sample | null = null;
  private drawn = 0;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: NodeJS.WritableStream,
    private readonly title: string,
  ) {}

  update(snapshot: Snapshot, elapsed: number): void {
    const sample = { at: elapsed, snapshot };
    const r = rates(this.previous, sample);
    this.previous = sample;
    if (this.mode === 'json') this.out.write(`${JSON.stringify({ type: 'progress', elapsed: elapsed / 1000, snapshot })}\n`);
    else if (this.mode === 'plain') this.out.write(`${plainLine(sample, elapsed, r)}\n`);
    else {
      const lines = ttyBlock(this.title, sample, elapsed, r);
      // Back to the top of the previous block, clear it, draw the new one.
      this.out.write(`${this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : ''}${lines.join('\n')}\n`);
      this.drawn = lines.length;
    }
  }

  finish(snapshot: Snapshot, elapsed: number, outcome: Outcome): void {
    if (this.mode === 'json') {
      const end = { type: 'end', ok: outcome.ok, interrupted: outcome.interrupted ?? false, elapsed: elapsed / 1000, ...(outcome.error ? { error: outcome.error } : {}), snapshot };
      this.out.write(`${JSON.stringify(end)}\n`);
      return;
    }
    // On a terminal the last block stays as drawn (not redrawn: what the network printed since stays visible).
    this.out.write(`${outcomeText(snapshot, elapsed, outcome)}\n`);
  }
}
