/**
 * The trace of a scheduled run: every wake-up the scheduler ran, in order.
 *
 * A wake-up's label is what the core passed to `Scheduler.wake` (today: the channel's name for a
 * read or write, `alt` for an alternation) or `timer <ms>ms` for a timer the scheduler fired.
 * `traceText` prints one entry per line, `@<time>` first when virtual time has moved.
 */

export interface TraceEntry {
  /** 1-based position in the run. */
  readonly step: number;
  /** Virtual time (ms) when it ran. */
  readonly time: number;
  readonly kind: 'wake' | 'timer';
  readonly label: string;
}

export interface TraceTextOptions {
  /** Prefix each entry with `@<time> ` once time is not 0. Default true. */
  readonly time?: boolean;
  /** Only the last `tail` entries (with a `…` line first when some were left off). */
  readonly tail?: number;
}

/** One line per entry, e.g. `in`, `alt`, `@10 timer 10ms`. */
export function traceText(entries: readonly TraceEntry[], options: TraceTextOptions = {}): string {
  const showTime = options.time ?? true;
  const from = options.tail === undefined ? 0 : Math.max(0, entries.length - options.tail);
  const lines = entries.slice(from).map((e) => (showTime && e.time !== 0 ? `@${e.time} ${e.label}` : e.label));
  if (from > 0) lines.unshift(`… (${from} earlier)`);
  return lines.join('\n');
}

/** The labels of the entries, in order: handy for `expect(labels(trace)).toEqual([...])`. */
export function labels(entries: readonly TraceEntry[]): string[] {
  return entries.map((e) => e.label);
}

/** How many times each label occurs. */
export function labelCounts(entries: readonly TraceEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return counts;
}
