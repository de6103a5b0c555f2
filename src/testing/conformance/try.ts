/**
 * C7 / C7r: tryRead and tryWrite never wait.
 *
 * On an exact transport (`exactTry`, in-process) they answer from the channel itself (C7). On
 * the others (a proxy of a channel living elsewhere) they answer from what the end knows (C7r):
 * a try may report `empty` / `full` when the exact answer would have been a success, but never
 * succeeds wrongly — a value a tryWrite accepted is delivered exactly once, a value a tryRead
 * returned was there and is taken once — and what has happened (end of stream, readers gone,
 * poison, credit granted to a new writer) is known after `settle()`. Each case checks the rule
 * its transport claims; exact probes (`pollRead` / `pollWrite`, a priAlt with skip) check what
 * the channel really holds.
 */
import { assert, assertPoisoned, assertRetired, caseOf, drainNow, fill, opts, pollRead, pollWrite, settle, survivors, thrown, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase, type ConformanceTransport } from './types.js';
import type { Reader } from '../../index.js';

/** tryRead where the exact answer is `value`: exactly that, or (C7r) `empty` and the value still there, taken by read(). */
async function tryReadExpecting<T>(t: ConformanceTransport, r: Reader<T>, value: T, what: string): Promise<void> {
  const got = r.tryRead();
  if (t.exactTry || got.ok) {
    assert.deepEqual(got, { ok: true, value }, what);
    return;
  }
  assert.deepEqual(got, { ok: false, reason: 'empty' }, `${what} (C7r: a try may fail, but only as 'empty')`);
  assert.deepEqual(await r.read(), value, `${what}: the value a conservative tryRead did not take is still there`);
}

export function tryCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('C7', "tryRead: 'empty' when nothing is available; a value from a waiting writer or the buffer", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
      const write = track('write(1)', w.write(1));
      await t.settle();
      await tryReadExpecting(t, r, 1, 'tryRead() with a value available');
      await t.settle();
      write.value();
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
      assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'the value was taken exactly once');
    }),

    caseOf('C7', 'tryWrite gives to a waiting reader first', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const read = track('waiting read', r.read());
      await t.settle();
      const put = w.tryWrite(3);
      if (!t.exactTry && !put.ok) {
        assert.deepEqual(put, { ok: false, reason: 'full' }, "C7r: a try may fail, but only as 'full'");
        await t.settle();
        read.assertPending('after a tryWrite that was refused (it gave nothing)');
        const write = track('write(3)', w.write(3));
        await t.settle();
        write.value();
      } else assert.deepEqual(put, { ok: true });
      await t.settle();
      assert.equal(read.value(), 3);
      assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'C6: the value did not stay in the buffer');
    }),

    caseOf('C7', "tryWrite with nobody reading: 'full' when it would wait, else the C3 buffer policy", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      await t.settle();
      const accepted: number[] = [];
      const n = kind.capacity + 2;
      for (let i = 0; i < n; i++) {
        const res = w.tryWrite(i);
        const exact = waits(kind) && i >= kind.capacity ? { ok: false, reason: 'full' } : { ok: true };
        if (t.exactTry || !res.ok === !exact.ok) assert.deepEqual(res, exact, `tryWrite(${i}) into a ${kind.name} holding ${i} values`);
        else {
          assert.deepEqual(res, { ok: false, reason: 'full' }, `tryWrite(${i}): C7r never succeeds wrongly, and fails only as 'full'`);
          assert.ok(i > 0, 'C7r: after settle, a new writer has credit for an empty buffer (its first tryWrite succeeds)');
        }
        if (res.ok) accepted.push(i);
      }
      const expected = waits(kind) ? accepted : survivors(kind, accepted);
      assert.deepEqual(await drainNow(r), expected, 'what the accepted tryWrites left in the channel');
      await settle(t, 1);
      assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'a refused tryWrite left no offer');
    }),

    caseOf('C7', "'retired' once the other side has retired; throws on a retired end and on poison", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const r2 = c.reader();
      const buffered = await fill(t, w, { ...kind, capacity: Math.min(kind.capacity, 2) });
      w.retire();
      await t.settle();
      for (const v of buffered) await tryReadExpecting(t, r, v, 'R2: the buffer drains first');
      await t.settle();
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'retired' }, 'tryRead() at end of stream (known after settle)');
      assertRetired(thrown('tryWrite on a retired end', () => w.tryWrite(1)), 'end-retired', 'tryWrite on a retired end');
      r2.retire();
      assertRetired(thrown('tryRead on a retired end', () => r2.tryRead()), 'end-retired', 'tryRead on a retired end');
      const d = t.chan<number>(opts(kind));
      const wd = d.writer();
      d.reader().retire();
      await t.settle();
      assert.deepEqual(wd.tryWrite(1), { ok: false, reason: 'retired' }, 'tryWrite once every reader retired (known after settle)');
      const e = t.chan<number>(opts(kind));
      const we = e.writer();
      const re = e.reader();
      re.poison('x');
      await t.settle();
      assertPoisoned(thrown('tryWrite on a poisoned channel', () => we.tryWrite(1)), 'x', 'tryWrite');
      assertPoisoned(thrown('tryRead on a poisoned channel', () => re.tryRead()), 'x', 'tryRead');
    }),
  ];

  if (waits(kind) && kind.capacity > 0) {
    cases.push(
      caseOf('C7r', 'tryWrites by several writers never put more into a buffer than it holds', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const ws = [c.writer(), c.writer(), c.writer()];
        const r = c.reader();
        await t.settle();
        const accepted: number[] = [];
        for (let round = 0; round < kind.capacity + 1; round++) {
          for (const [k, w] of ws.entries()) {
            const v = round * ws.length + k;
            const res = w.tryWrite(v);
            if (res.ok) accepted.push(v);
            else assert.deepEqual(res, { ok: false, reason: 'full' }, `tryWrite(${v})`);
          }
        }
        assert.ok(accepted.length <= kind.capacity, `${accepted.length} tryWrites succeeded into a ${kind.name}`);
        if (t.exactTry) assert.equal(accepted.length, kind.capacity, 'every slot was taken');
        else assert.ok(accepted.length > 0, 'after settle, some writer has credit for an empty buffer');
        await t.settle();
        assert.deepEqual(await drainNow(r), accepted, 'every accepted value, once, in order');
      }),
    );
  }

  if (kind.capacity === 0) {
    cases.push(
      caseOf('C7', 'a tryRead that found nothing leaves no reader behind, a refused tryWrite no writer', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        assert.deepEqual(r.tryRead(), { ok: false, reason: 'empty' });
        await t.settle();
        assert.deepEqual(await pollWrite(w, 1), { ok: false, reason: 'full' }, 'no reader waits after a failed tryRead');
        assert.deepEqual(w.tryWrite(1), { ok: false, reason: 'full' });
        await t.settle();
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'no writer waits after a refused tryWrite');
      }),
    );
  }

  return cases;
}
