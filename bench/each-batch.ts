/**
 * The benchmarks' batched read loop: a reader taken in batches until every writer has retired.
 * One call per batch, so its cost stays off the per-value path being measured.
 */
import { RetiredError, type Reader } from '../src/index.js';

/** Reads `input` in batches of up to 65,536 values, handing each to `take`, until end of stream. */
export async function eachBatch<T>(input: Reader<T>, take: (values: T[]) => void): Promise<void> {
  for (;;) {
    let values: T[];
    try {
      values = await input.readMany(1 << 16);
    } catch (error) {
      if (error instanceof RetiredError) return;
      throw error;
    }
    take(values);
  }
}
