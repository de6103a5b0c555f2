/**
 * `merge(readers, options?)`: fan-in. Every value of every input, each input's values in their
 * order; an input that ends is dropped; the output retires once every input has ended.
 *   a---b----|
 *   --x---y--|   →  a-x-b-y--|   (one interleaving)
 *
 * Decided: one pump process per input (read a batch, write it), all writing to the one output,
 * rather than one process alternating over the inputs. Pumps move values in batches, fairness
 * comes from the output channel serving waiting writers in arrival order (C5), each pump waits
 * on one channel (so deadlock detection can examine it), and it works over ends of any runtime
 * (an alt cannot mix ends that live in different threads). See docs/decisions/0005-operators.md.
 */
import type { Reader } from '../core/ends.js';
import { expectReaders } from './check.js';
import { pumpBody } from './pump.js';
import { launch, outputOf, result, type IntoOptions, type OperatorOptions, type OutputOptions } from './operator.js';

export function merge<T>(readers: readonly Reader<T>[], options: IntoOptions<T>): Promise<void>;
export function merge<T>(readers: readonly Reader<T>[], options?: OutputOptions): Reader<T>;
export function merge<T>(readers: readonly Reader<T>[], options?: OperatorOptions<T>): Reader<T> | Promise<void> {
  const where = 'merge(readers, options)';
  expectReaders(where, 'readers', readers);
  const { writer, reader } = outputOf<T>(where, 'merge', readers.map((r) => r.channelName).join(','), options);
  const members = readers.map((r) => ({ inputs: [r], outputs: [writer], body: pumpBody(r, writer) }));
  return result<T>(reader, launch('merge', readers, [writer], members));
}
