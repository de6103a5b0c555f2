/**
 * C7: tryRead and tryWrite never wait.
 */
import { assert, assertPoisoned, assertRetired, caseOf, fill, opts, settle, survivors, thrown, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function tryCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('C7', "tryRead: 'empty' when nothing is available; a value from a waiting writer or the buffer", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
      const write = track('write(1)', w.write(1));
      await t.settle();
      assert.deepEqual(r.tryRead(), { ok: true, value: 1 });
      await t.settle();
      write.value();
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
    }),

    caseOf('C7', 'tryWrite gives to a waiting reader first', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const read = track('waiting read', r.read());
      await t.settle();
      assert.deepEqual(w.tryWrite(3), { ok: true });
      await t.settle();
      assert.equal(read.value(), 3);
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' }, 'C6: the value did not stay in the buffer');
    }),

    caseOf('C7', "tryWrite with nobody reading: 'full' when it would wait, else the C3 buffer policy", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const written: number[] = [];
      const n = kind.capacity + 2;
      for (let i = 0; i < n; i++) {
        const res = w.tryWrite(i);
        if (waits(kind) && i >= kind.capacity) assert.deepEqual(res, { ok: false, reason: 'full' }, `tryWrite(${i}) into a full ${kind.name}`);
        else assert.deepEqual(res, { ok: true }, `tryWrite(${i})`);
        written.push(i);
      }
      const expected = waits(kind) ? written.slice(0, kind.capacity) : survivors(kind, written);
      const got: number[] = [];
      for (let res = r.tryRead(); res.ok; res = r.tryRead()) got.push(res.value);
      assert.deepEqual(got, expected);
      await settle(t, 1);
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' }, 'a refused tryWrite left no offer');
    }),

    caseOf('C7', "'retired' once the other side has retired; throws on a retired end and on poison", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const r2 = c.reader();
      const buffered = await fill(t, w, { ...kind, capacity: Math.min(kind.capacity, 2) });
      w.retire();
      await t.settle();
      for (const v of buffered) assert.deepEqual(r.tryRead(), { ok: true, value: v }, 'R2: the buffer drains first');
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'retired' });
      assertRetired(thrown('tryWrite on a retired end', () => w.tryWrite(1)), 'end-retired', 'tryWrite on a retired end');
      r2.retire();
      assertRetired(thrown('tryRead on a retired end', () => r2.tryRead()), 'end-retired', 'tryRead on a retired end');
      const d = t.chan<number>(opts(kind));
      const wd = d.writer();
      d.reader().retire();
      await t.settle();
      assert.deepEqual(wd.tryWrite(1), { ok: false, reason: 'retired' });
      const e = t.chan<number>(opts(kind));
      const we = e.writer();
      const re = e.reader();
      re.poison('x');
      await t.settle();
      assertPoisoned(thrown('tryWrite on a poisoned channel', () => we.tryWrite(1)), 'x', 'tryWrite');
      assertPoisoned(thrown('tryRead on a poisoned channel', () => re.tryRead()), 'x', 'tryRead');
    }),
  ];

  if (kind.capacity === 0) {
    cases.push(
      caseOf('C7', 'a tryRead that found nothing leaves no reader behind, a refused tryWrite no writer', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
        await t.settle();
        assert.deepEqual(w.tryWrite(1), { ok: false, reason: 'full' }, 'no reader waits after a failed tryRead');
        await t.settle();
        assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' }, 'no writer waits after a refused tryWrite');
      }),
    );
  }

  return cases;
}
