/**
 * C9: readers are async iterables.
 */
import { assert, assertPoisoned, caseOf, opts, pollWrite, rejection, track } from './support.js';
import type { BufferKind, ConformanceCase } from './types.js';

export function iterationCases(kind: BufferKind): ConformanceCase[] {
  return [
    caseOf('C9', 'for await yields every value, then ends cleanly at end-of-stream', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const writing = (async () => {
        for (let i = 0; i < 3; i++) await w.write(i);
        w.retire();
      })();
      const got: number[] = [];
      for await (const v of r) got.push(v);
      await writing;
      assert.deepEqual(got, [0, 1, 2]);
    }),

    caseOf('C9', 'for await throws PoisonError on poison', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const got: number[] = [];
      const loop = track('for await', (async () => {
        for await (const v of r) got.push(v);
      })());
      const write = track('write(1)', w.write(1));
      await t.settle();
      w.poison('mid-stream');
      assertPoisoned(await rejection('the loop', loop.promise), 'mid-stream', 'for await');
      assert.deepEqual(got, [1]);
      await write.promise;
    }),

    caseOf('C9', 'leaving the loop early does not retire the end', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const writes = [track('write(1)', w.write(1))];
      for await (const v of r) {
        assert.equal(v, 1);
        break;
      }
      writes.push(track('write(2)', w.write(2)));
      assert.equal(await r.read(), 2, 'the reader still reads after break');
      await t.settle();
      for (const write of writes) write.value();
      assert.notDeepEqual(await pollWrite(w, 3), { ok: false, reason: 'retired' }, 'writers do not see readers-retired');
    }),
  ];
}
