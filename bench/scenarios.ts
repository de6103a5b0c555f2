/**
 * The two scenarios every library runs, and the checks that make a broken adapter fail loudly
 * instead of reporting a fast number.
 *
 * commstime (the classic occam benchmark): Prefix → Delta → Succ → Prefix over rendezvous
 * channels a, b, d, and Delta also → Consume over rendezvous channel c. Each process does a fixed
 * number of rounds, so every library ends the same way (no library-specific termination):
 *   Prefix:  write a 0; (n-1)× { v = read d; write a v }; last = read d  — last must be n
 *   Delta:   n× { v = read a; write c v; write b v }
 *   Succ:    n× { v = read b; write d v+1 }
 *   Consume: n× { read c }                                               — sees 0..n-1
 * Four communications per round: ns per communication = time / (4·n).
 *
 * stream: a producer writes 1..m into a channel buffered to STREAM_BUFFER, then ends the stream
 * (close/retire) where the library can; a consumer reads to end-of-stream. ns per value = time / m.
 */

/** What the consumer saw; compared with {@link expectedCommstime} / {@link expectedStream}. */
export interface Observed {
  readonly count: number;
  readonly sum: number;
}

export type Scenario = 'commstime' | 'stream';

/** One row of the table: a library running one scenario (in one variant, e.g. batched). */
export interface BenchCase {
  readonly library: string;
  readonly scenario: Scenario;
  /** Distinguishes several rows of one library and scenario, e.g. "writeMany/readMany 256". */
  readonly variant: string;
  /** What stands in for a rendezvous channel or end-of-stream when the library lacks one. */
  readonly note?: string;
  /** Runs the scenario once at size n (rounds or values) and resolves with what the consumer saw. */
  run(n: number): Promise<Observed>;
}

/** Buffer capacity of the stream scenario. */
export const STREAM_BUFFER = 1024;

/** Batch size of the batched cspflow stream row. */
export const STREAM_BATCH = 256;

/** Communications per round of commstime, and values per unit of stream. */
export const opsPerUnit = (scenario: Scenario): number => (scenario === 'commstime' ? 4 : 1);

export const expectedCommstime = (n: number): Observed => ({ count: n, sum: (n * (n - 1)) / 2 });

export const expectedStream = (m: number): Observed => ({ count: m, sum: (m * (m + 1)) / 2 });

/** Throws unless got equals want: used inside adapters for values only a process sees (Prefix's last). */
export function expectValue(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, expected ${String(want)}`);
}

/** Throws unless the consumer saw exactly the expected count and sum. */
export function expectObserved(label: string, got: Observed, want: Observed): void {
  expectValue(`${label} count`, got.count, want.count);
  expectValue(`${label} sum`, got.sum, want.sum);
}
