/**
 * Merge sort as a tree of processes: each inner node is a merge process that merges the sorted
 * streams of its two subtrees into its output; a leaf (at most one value) just writes it.
 *
 * The whole tree is declared before it runs: ends made inside a process belong to it until it
 * ends, so a node that built its subtree itself would keep its children's channels open (see
 * docs/testing.md), and a declared tree can be spread over workers.
 */
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type ChannelDecl, type Network, type NetworkBuilder } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkFinite } from './check.js';

/** The next value of a sorted stream, or null at its end. */
async function next(from: Reader<number>): Promise<number | null> {
  try {
    return await from.read();
  } catch (error) {
    if (error instanceof RetiredError) return null;
    throw error;
  }
}

export const merge = process('kit.mergesort.merge', async (a: Reader<number>, b: Reader<number>, out: Writer<number>) => {
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

export const leaf = process('kit.mergesort.leaf', async (values: readonly number[], out: Writer<number>) => {
  for (const v of values) await out.write(v);
});

export const collect = process('kit.mergesort.collect', async (from: Reader<number>, into: number[]) => {
  for await (const v of from) into.push(v);
});

/** The processes of the tree, under their stable names (what a worker registers). */
export const mergeSortTreeProcesses = { merge, leaf, collect };

/**
 * Merge sort of `values` as a network: leaves and merges may run in workers; `collect`, on main,
 * appends the sorted values to `into`.
 */
export function mergeSortTreeNetwork(values: readonly number[], into: number[]): Network {
  checkArray('mergeSortTreeNetwork', 'values', values);
  values.forEach((v, i) => checkFinite('mergeSortTreeNetwork', `values[${i}]`, v));
  checkArray('mergeSortTreeNetwork', 'into', into);
  return network((net) => {
    let count = 0;
    // Declares the subtree that sorts `vs` into `out`: a leaf, or two subtrees and their merge.
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

/** `values` sorted ascending: `mergeSortTreeNetwork` run in this thread. */
export async function mergeSortTree(values: readonly number[]): Promise<number[]> {
  const sorted: number[] = [];
  await run(mergeSortTreeNetwork(values, sorted), { runtime: local() });
  return sorted;
}
