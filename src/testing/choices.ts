/**
 * Where a deterministic scheduler's decisions come from, and the replay string that records them.
 *
 * A decision is a choice in [0, n) with n >= 2 (a forced choice, n = 1, is not a decision and is
 * never recorded). Choice 0 is the natural order: the oldest wake-up, the first guard as shuffled.
 *
 * Replay strings: the choices in order, comma-separated, a run of k equal choices written `c*k`,
 * trailing zeros dropped (a script that runs out chooses 0). `""` is the all-FIFO schedule.
 */

import { seededRandom } from '../kit/rng.js';

/** A stream of decisions. `choose(n)` returns an integer in [0, n); n >= 2. */
export interface ChoiceSource {
  choose(n: number): number;
  /** The seed, when the decisions come from a seeded generator (printed in failure reports). */
  readonly seed?: number | undefined;
}

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; `next()` is uniform in [0, 1). */
export const mulberry32 = seededRandom;

/** Decisions drawn uniformly from a PRNG seeded with `seed`. */
export function seededChoices(seed: number): ChoiceSource {
  const next = mulberry32(seed);
  return { seed, choose: (n) => Math.floor(next() * n) };
}

/**
 * Decisions read from `script` in order; past its end, 0 (the natural order). A scripted choice
 * >= n (the run took another path than the one recorded) is taken modulo n, and `diverged` set.
 */
export class ScriptedChoices implements ChoiceSource {
  private at = 0;
  diverged = false;

  constructor(readonly script: readonly number[]) {}

  choose(n: number): number {
    if (this.at >= this.script.length) return 0;
    const c = this.script[this.at++] as number;
    if (c >= n) this.diverged = true;
    return c % n;
  }
}

/** The replay string of a list of choices. */
export function encodeChoices(choices: readonly number[]): string {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  const parts: string[] = [];
  for (let i = 0; i < end; ) {
    const c = choices[i] as number;
    let j = i + 1;
    while (j < end && choices[j] === c) j++;
    parts.push(j - i >= 3 ? `${c}*${j - i}` : Array(j - i).fill(String(c)).join(','));
    i = j;
  }
  return parts.join(',');
}

/** The choices of a replay string; throws a SyntaxError naming the bad token. */
export function decodeChoices(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: number[] = [];
  for (const token of trimmed.split(',')) {
    const m = /^\s*(\d+)(?:\*(\d+))?\s*$/.exec(token);
    if (m === null) throw new SyntaxError(`replay string: bad token "${token}" (expected "c" or "c*k")`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    for (let k = 0; k < count; k++) out.push(Number(m[1]));
  }
  return out;
}
