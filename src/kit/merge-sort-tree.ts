/**
 * Merge sort as a tree of processes: each inner node is a merge process that merges the sorted
 * streams of its two subtrees into its output; a leaf (at most one value) just writes it.
 *
 * The whole tree is laid out before it runs, channels made by the caller: ends made inside a
 * process belong to it until it ends, so a node that built its subtree itself would keep its
 * children's channels open (see docs/testing.md).
 */
import { chan, type Channel } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { par, process, type ProcessInstance } from '../core/process.js';
import { network, type NetworkBuilder, type ChannelDecl, type Network } from '../runtime/network.js';

/** The next value of a sorted stream, or null at its end. */
async function next(from: Reader<number>): Promise<number | null> {
  try {
    return await from.read();
  } catch (error) {
    if (error instanceof RetiredError) return null;
    throw error;
  }
}

export const merge = process('merge', async (a: Reader<number>, b: Reader<number>, out: Writer<number>) => {
  let x = await next(a);
  let y = await next(b);
  while (x !== null || y !== null) {
    if (y === null || (x !== null && x <= y)) {
      await out.write(x as number);
      x = await next(a);
    } else {
      await out.write(y);
      y = await next(b);
    }
  }
});

export const leaf = process('leaf', async (values: readonly number[], out: Writer<number>) => {
  for (const v of values) await out.write(v);
});

/** The processes of the subtree that sorts `values` into `out`: leaves and merges. */
function sorter(values: readonly number[], out: Channel<number>): ProcessInstance[] {
  if (values.length <= 1) return [leaf(values, out.writer())];
  const half = values.length >> 1;
  const a = chan<number>();
  const b = chan<number>();
  return [...sorter(values.slice(0, half), a), ...sorter(values.slice(half), b), merge(a.reader(), b.reader(), out.writer())];
}

export const collect = process('collect', async (from: Reader<number>, into: number[]) => {
  for await (const v of from) into.push(v);
});

/** Sorts `values` ascending with a tree of sorter and merge processes. */
export async function mergeSortTree(values: readonly number[]): Promise<number[]> {
  const out = chan<number>({ name: 'sorted' });
  const sorted: number[] = [];
  await par(sorter(values, out), collect(out.reader(), sorted));
  return sorted;
}

/** The same tree as a declared network for `cspflow/threads`: leaves and merges in workers, `collect` fills `into` on main. */
export function mergeSortTreeNetwork(values: readonly number[], into: number[]): Network {
  return network((net) => {
    let count = 0;
    const declare = (vs: readonly number[], out: ChannelDecl<number>, b: NetworkBuilder): void => {
      if (vs.length <= 1) return b.spawn(leaf(vs, out.writer()));
      const half = vs.length >> 1;
      const left = b.channel<number>(`m${count++}`);
      const right = b.channel<number>(`m${count++}`);
      declare(vs.slice(0, half), left, b);
      declare(vs.slice(half), right, b);
      b.spawn(merge(left.reader(), right.reader(), out.writer()));
    };
    const sorted = net.channel<number>('sorted');
    declare(values, sorted, net);
    net.spawn(collect(sorted.reader(), into), { place: 'main' });
  });
}
