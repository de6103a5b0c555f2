/**
 * `zip(readers, options?)`: one tuple per round, the i-th value of each input together; ends as
 * soon as any input ends (the other inputs then retire; a partly read round is discarded).
 *   a---b---c-|
 *   -x---y----|  →  [a,x]-[b,y]-|
 */
import type { Reader } from '../core/ends.js';
import { expectReaders } from './check.js';
import { isEndOfStream, launchOne, outputOf, result, type IntoOptions, type OperatorOptions, type OutputOptions } from './operator.js';

/** The tuple type of a zip: [A, B, …] from [Reader<A>, Reader<B>, …]. */
export type Zipped<R extends readonly Reader<unknown>[]> = { -readonly [K in keyof R]: R[K] extends Reader<infer T> ? T : never };

export function zip<const R extends readonly Reader<unknown>[]>(readers: R, options: IntoOptions<Zipped<R>>): Promise<void>;
export function zip<const R extends readonly Reader<unknown>[]>(readers: R, options?: OutputOptions): Reader<Zipped<R>>;
export function zip<const R extends readonly Reader<unknown>[]>(readers: R, options?: OperatorOptions<Zipped<R>>): Reader<Zipped<R>> | Promise<void> {
  const where = 'zip(readers, options)';
  expectReaders(where, 'readers', readers);
  const { writer, reader } = outputOf<Zipped<R>>(where, 'zip', readers.map((r) => r.channelName).join(','), options);
  const done = launchOne('zip', readers, [writer], async () => {
    for (;;) {
      const round: unknown[] = [];
      for (const r of readers) {
        try {
          round.push(await r.read());
        } catch (error) {
          if (isEndOfStream(error)) return;
          throw error;
        }
      }
      await writer.write(round as Zipped<R>);
    }
  });
  return result<Zipped<R>>(reader, done);
}
