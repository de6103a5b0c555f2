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
import { checkArray, checkFinite } from './check.js';

interface Slot {
  readonly index: number;
  readonly value: number;
}

export const cell = process(
  'kit.oddeven.cell',
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

export const gather = process('kit.oddeven.gather', async (from: Reader<Slot>, into: number[]) => {
  for await (const s of from) into[s.index] = s.value;
});

/** The processes of the sort, under their stable names (what a worker registers). */
export const oddEvenSortProcesses = { cell, gather };

/**
 * Odd-even transposition sort of `values` as a network: a line of cells that may run in workers;
 * `gather`, on main, puts each sorted value at its index in `into`.
 */
export function oddEvenSortNetwork(values: readonly number[], into: number[]): Network {
  checkArray('oddEvenSortNetwork', 'values', values);
  values.forEach((v, i) => checkFinite('oddEvenSortNetwork', `values[${i}]`, v));
  checkArray('oddEvenSortNetwork', 'into', into);
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
    // With no cells nobody writes `slots`: a gather would wait on it forever.
    if (n > 0) net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

/** `values` sorted ascending: `oddEvenSortNetwork` run in this thread. */
export async function oddEvenSort(values: readonly number[]): Promise<number[]> {
  const sorted: number[] = [];
  await run(oddEvenSortNetwork(values, sorted), { runtime: local() });
  return sorted;
}

/** The sequential reference. */
export function sortReference(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
