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

interface Sum {
  readonly index: number;
  readonly sum: number;
}

export const stage = process(
  'scan',
  async (index: number, value: number, fromLeft: Reader<number> | null, toRight: Writer<number> | null, out: Writer<Sum>) => {
    const sum = (fromLeft === null ? 0 : await fromLeft.read()) + value;
    if (toRight !== null) await toRight.write(sum);
    await out.write({ index, sum });
  },
);

export const gather = process('gather', async (from: Reader<Sum>, into: number[]) => {
  for await (const s of from) into[s.index] = s.sum;
});

/** The inclusive prefix sums of `values`: out[i] = values[0] + … + values[i]. */
export async function prefixSums(values: readonly number[]): Promise<number[]> {
  if (values.length === 0) return [];
  const sums = new Array<number>(values.length);
  await run(prefixSumsNetwork(values, sums), { runtime: local() });
  return sums;
}

/** The same line of stages as a declared network for `cspflow/threads`; `gather` fills `into` on the main thread. */
export function prefixSumsNetwork(values: readonly number[], into: number[]): Network {
  return network((net) => {
    const links = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => net.channel<number>(`s${i}`));
    const out = net.channel<Sum>('sums');
    values.forEach((v, i) =>
      net.spawn(stage(i, v, i > 0 ? links[i - 1]!.reader() : null, i + 1 < values.length ? links[i]!.writer() : null, out.writer())),
    );
    net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

/** The sequential reference. */
export function prefixSumsReference(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}
