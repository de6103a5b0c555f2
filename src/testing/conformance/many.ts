/**
 * C8: readMany and writeMany, the batched forms of read and write.
 */
import { assert, assertIncreasing, assertRetired, caseOf, opts, readAll, rejection, settle, survivors, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function manyCases(kind: BufferKind): ConformanceCase[] {
  return [
    caseOf('C8', 'readMany(max) takes what is available now, up to max, in channel order', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const writes = [1, 2, 3].map((v) => track(`write(${v})`, w.write(v)));
      await t.settle();
      assert.deepEqual(await r.readMany(2), [1, 2], 'readMany(2) with three available');
      assert.deepEqual(await r.readMany(10), [3], 'readMany(10) with one available');
      await t.settle();
      for (const write of writes) write.value();
      const more = [4, 5, 6].map((v) => track(`write(${v})`, w.write(v)));
      await t.settle();
      assert.deepEqual(await r.readMany(10), [4, 5, 6], 'readMany(10) with three available');
      await t.settle();
      for (const write of more) write.value();
    }),

    caseOf('C8', 'readMany waits for the first value; at end-of-stream it rejects like read', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const many = track('readMany(5)', r.readMany(5));
      await settle(t, 2);
      many.assertPending('with nothing written');
      const write = track('write(7)', w.write(7));
      await t.settle();
      assert.deepEqual(many.value(), [7]);
      write.value();
      w.retire();
      assertRetired(await rejection('readMany at end-of-stream', r.readMany(5)), 'writers-retired', 'readMany()');
    }),

    caseOf('C8', 'writeMany writes in order, as successive writes would, and resolves after the last', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const batch = [1, 2, 3, 4, 5, 6];
      const many = track('writeMany([1..6])', w.writeMany(batch));
      await settle(t, 2);
      if (waits(kind) && kind.capacity < batch.length) many.assertPending('while the batch does not fit');
      else many.value();
      const expected = waits(kind) ? batch : survivors(kind, batch);
      const got: number[] = [];
      for (let i = 0; i < expected.length; i++) got.push(await r.read());
      assert.deepEqual(got, expected);
      await t.settle();
      many.value();
      await w.writeMany([]);
    }),

    caseOf('C8', 'concurrent writeMany calls from two writers keep each writer in order', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r = c.reader();
      const reading = readAll(r);
      const odd = [1, 3, 5, 7, 9, 11];
      const even = [2, 4, 6, 8, 10, 12];
      await Promise.all([
        w1.writeMany(odd).then(() => w1.retire()),
        w2.writeMany(even).then(() => w2.retire()),
      ]);
      const got = await reading;
      assertIncreasing(got.filter((v) => v % 2 === 1), 'the odd writer');
      assertIncreasing(got.filter((v) => v % 2 === 0), 'the even writer');
      if (waits(kind)) assert.equal(got.length, 12, 'every value delivered');
    }),
  ];
}
