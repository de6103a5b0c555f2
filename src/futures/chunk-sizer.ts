/**
 * How many items of one task go in the next chunk. Few messages for cheap tasks, small chunks for
 * costly ones (so a long task does not hold back a whole chunk and the load stays even):
 *
 * - cost: the farm workers say how long each chunk took; a chunk aims at TARGET_MS of work;
 * - ramp: a chunk is at most twice the largest chunk that has come back, so the first results
 *   come back fast and an unknown task is measured before a big chunk is risked;
 * - spread: what is queued is split over the workers rather than given to one — while each share
 *   is still worth sending apart (SPREAD_MS of work or more: below that, the round trips that
 *   more chunks cost outweigh the imbalance of one worker doing the rest).
 *
 * This reads a clock (the workers' timing) and so changes how items are grouped, never what they
 * give or in which order a map returns them; a caller that wants fixed grouping passes `chunk`.
 *
 * Invariant: 1 <= size() <= MAX_CHUNK.
 */

/** The largest chunk: past it, bigger messages gain nothing (bench/futures.ts). */
const MAX_CHUNK = 4096;
/** Work per chunk the sizing aims at, in ms. */
const TARGET_MS = 1;
/** Work below which a share of the queue is not split further, in ms. */
const SPREAD_MS = 0.25;
/** Weight of the newest measurement in the running cost. */
const ALPHA = 0.3;

export class ChunkSizer {
  /** ms per item, or NaN before the first measurement. */
  private cost = Number.NaN;
  private ramp = 1;

  /** A chunk of `n` items came back after `ms` of work. */
  observe(n: number, ms: number): void {
    this.ramp = Math.min(MAX_CHUNK, Math.max(this.ramp, 2 * n));
    if (!(ms >= 0) || n <= 0) return;
    const perItem = ms / n;
    this.cost = Number.isNaN(this.cost) ? perItem : ALPHA * perItem + (1 - ALPHA) * this.cost;
  }

  /** The size of the next chunk, with `queued` items waiting and `workers` workers to share them. */
  size(queued: number, workers: number): number {
    const cost = Number.isNaN(this.cost) ? Number.POSITIVE_INFINITY : Math.max(this.cost, 1e-6);
    const byCost = Math.floor(TARGET_MS / cost);
    const spread = Math.max(Math.ceil(queued / Math.max(1, workers)), Math.ceil(SPREAD_MS / cost));
    return Math.max(1, Math.min(this.ramp, byCost, spread, MAX_CHUNK));
  }
}
