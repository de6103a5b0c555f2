/**
 * Prefix sums as a scan down a line of processes: process i receives the sum of values 0..i-1
 * from its left neighbour (0 for the first), adds its own value, reports the sum, and passes it
 * right. Values are integers, so the result is exact whatever the schedule.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkFinite } from './check.js';

interface Sum {
  readonly index: number;
  readonly sum: number;
}

export const stage = process(
  'kit.prefix.stage',
  async (index: number, value: number, fromLeft: Reader<number> | null, toRight: Writer<number> | null, out: Writer<Sum>) => {
    const sum = (fromLeft === null ? 0 : await fromLeft.read()) + value;
    if (toRight !== null) await toRight.write(sum);
    await out.write({ index, sum });
  },
);

export const gather = process('kit.prefix.gather', async (from: Reader<Sum>, into: number[]) => {
  for await (const s of from) into[s.index] = s.sum;
});

/** The processes of the scan, under their stable names (what a worker registers). */
export const prefixSumsProcesses = { stage, gather };

/**
 * The inclusive prefix sums of `values` as a network: a line of stages that may run in workers;
 * `gather`, on main, puts sum i at index i of `into`.
 */
export function prefixSumsNetwork(values: readonly number[], into: number[]): Network {
  checkArray('prefixSumsNetwork', 'values', values);
  values.forEach((v, i) => checkFinite('prefixSumsNetwork', `values[${i}]`, v));
  checkArray('prefixSumsNetwork', 'into', into);
  return network((net) => {
    const links = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => net.channel<number>(`s${i}`));
    const out = net.channel<Sum>('sums');
    values.forEach((v, i) =>
      net.spawn(stage(i, v, i > 0 ? links[i - 1]!.reader() : null, i + 1 < values.length ? links[i]!.writer() : null, out.writer())),
    );
    // With no stages nobody writes `sums`: a gather would wait on it forever.
    if (values.length > 0) net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

/** The inclusive prefix sums, out[i] = values[0] + … + values[i]: `prefixSumsNetwork` run in this thread. */
export async function prefixSums(values: readonly number[]): Promise<number[]> {
  const sums: number[] = [];
  await run(prefixSumsNetwork(values, sums), { runtime: local() });
  return sums;
}

/** The sequential reference. */
export function prefixSumsReference(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}
