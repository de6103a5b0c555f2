/**
 * Odd-even transposition sort: a line of n processes, each holding one value. In phase k
 * (k = 0..n-1) the pairs (i, i+1) with i ≡ k (mod 2) compare and exchange: the left one sends its
 * value right and gets back the smaller; the right one keeps the larger. After n phases the line
 * is sorted. Then each process reports its slot.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';

interface Slot {
  readonly index: number;
  readonly value: number;
}

export const cell = process(
  'sort-cell',
  async (
    index: number,
    value: number,
    n: number,
    toRight: Writer<number> | null,
    fromRight: Reader<number> | null,
    toLeft: Writer<number> | null,
    fromLeft: Reader<number> | null,
    out: Writer<Slot>,
  ) => {
    let v = value;
    for (let phase = 0; phase < n; phase++) {
      if (index % 2 === phase % 2) {
        if (toRight !== null && fromRight !== null) {
          await toRight.write(v);
          v = await fromRight.read();
        }
      } else if (toLeft !== null && fromLeft !== null) {
        const x = await fromLeft.read();
        await toLeft.write(Math.min(x, v));
        v = Math.max(x, v);
      }
    }
    await out.write({ index, value: v });
  },
);

export const gather = process('gather', async (from: Reader<Slot>, into: number[]) => {
  for await (const s of from) into[s.index] = s.value;
});

/** Sorts `values` ascending with a line of `values.length` processes. */
export async function oddEvenSort(values: readonly number[]): Promise<number[]> {
  if (values.length === 0) return [];
  const sorted = new Array<number>(values.length);
  await run(oddEvenSortNetwork(values, sorted), { runtime: local() });
  return sorted;
}

/** The sequential reference. */
/** The same line of cells as a declared network for `cspflow/threads`; `gather` fills `into` on the main thread. */
export function oddEvenSortNetwork(values: readonly number[], into: number[]): Network {
  const n = values.length;
  return network((net) => {
    const right = Array.from({ length: Math.max(0, n - 1) }, (_, i) => net.channel<number>(`r${i}`));
    const left = Array.from({ length: Math.max(0, n - 1) }, (_, i) => net.channel<number>(`l${i}`));
    const out = net.channel<Slot>('slots');
    values.forEach((v, i) =>
      net.spawn(
        cell(
          i,
          v,
          n,
          i + 1 < n ? right[i]!.writer() : null,
          i + 1 < n ? left[i]!.reader() : null,
          i > 0 ? left[i - 1]!.writer() : null,
          i > 0 ? right[i - 1]!.reader() : null,
          out.writer(),
        ),
      ),
    );
    net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

export function sortReference(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
