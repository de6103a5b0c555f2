/** Summaries of repeated timings and the markdown table printed and written by bench/core.ts. */
import type { Scenario } from './scenarios.js';

export interface Row {
  readonly library: string;
  readonly scenario: Scenario;
  readonly variant: string;
  readonly note?: string;
  /** Rounds (commstime) or values (stream) per run. */
  readonly size: number;
  /** ns per communication (commstime) or per value (stream), one per timed repetition. */
  readonly samples: readonly number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const fmt = (ns: number): string => (ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));

/** Markdown table of medians, spread and ratio to the floor's median in the same scenario. */
export function table(rows: readonly Row[]): string {
  const floor = new Map(rows.filter((r) => r.library === 'floor').map((r) => [r.scenario, median(r.samples)]));
  const lines = [
    '| scenario | library | variant | N | median ns/op | min–max ns/op | × floor |',
    '|---|---|---|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const m = median(r.samples);
    const f = floor.get(r.scenario);
    const variant = [r.variant, r.note].filter(Boolean).join('; ');
    lines.push(
      `| ${r.scenario} | ${r.library} | ${variant} | ${r.size.toLocaleString('en-US')} | ${fmt(m)} | ` +
        `${fmt(Math.min(...r.samples))}–${fmt(Math.max(...r.samples))} | ${f ? (m / f).toFixed(2) : '—'} |`,
    );
  }
  return lines.join('\n');
}
