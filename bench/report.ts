/** The machine a run happened on, and the rewrite of the core section of docs/benchmarks.md. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export const BEGIN = '<!-- core:begin -->';
export const END = '<!-- core:end -->';

export interface Machine {
  readonly node: string;
  readonly nproc: string;
  readonly cpu: string;
}

export function machine(): Machine {
  let nproc: string;
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    nproc = String(availableParallelism());
  }
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: leave "unknown" rather than guess.
  }
  return { node: process.version, nproc, cpu };
}

/** The commit measured, flagged when src/ differs from it (figures then describe the working tree). */
export function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown revision';
  }
}

/** Replaces what lies between the core markers of `file`; throws if the markers are missing. */
export function writeCoreSection(file: string, body: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: markers ${BEGIN} … ${END} not found`);
  writeFileSync(file, `${text.slice(0, start + BEGIN.length)}\n${body}\n${text.slice(end)}`);
}
