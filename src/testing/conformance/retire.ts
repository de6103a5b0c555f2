/**
 * R1–R5: retirement, the graceful end of a channel side.
 */
import { RetiredError } from '../../index.js';
import { assert, assertRetired, caseOf, describe, fill, opts, pollRead, rejection, settle, thrown, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function retireCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('R2', 'when every writer has retired, readers drain the buffer and then see end-of-stream', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const buffered = await fill(t, w, { ...kind, capacity: Math.min(kind.capacity, 3) }, 1);
      w.retire();
      await t.settle();
      const got: number[] = [];
      for (let i = 0; i < buffered.length; i++) got.push(await r.read());
      assert.deepEqual(got, buffered, 'nothing buffered is lost');
      assertRetired(await rejection('read() at end-of-stream', r.read()), 'writers-retired', 'read() at end-of-stream');
      assert.deepEqual(r.tryRead(), { ok: false, reason: 'retired' }, 'tryRead() at end-of-stream');
      assertRetired(await rejection('readMany() at end-of-stream', r.readMany(4)), 'writers-retired', 'readMany() at end-of-stream');
    }),

    caseOf('R2', 'a waiting reader sees end-of-stream once the last writer retires, not before', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r = c.reader();
      const read = track('waiting read()', r.read());
      await t.settle();
      w1.retire();
      await settle(t, 2);
      read.assertPending('while one writer is still live');
      w2.retire();
      await t.settle();
      assertRetired(read.error(), 'writers-retired', 'the waiting read');
    }),

    caseOf('R3', 'when every reader has retired, writes reject with RetiredError(readers-retired)', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      r1.retire();
      await t.settle();
      const ok = track('write with one reader left', w.write(1));
      await t.settle();
      if (kind.capacity > 0) ok.value();
      r2.retire();
      await t.settle();
      if (kind.capacity === 0) assertRetired(ok.error(), 'readers-retired', 'the write pending when the last reader retired');
      assertRetired(await rejection('write()', w.write(2)), 'readers-retired', 'write() after every reader retired');
      assertRetired(await rejection('writeMany()', w.writeMany([3, 4])), 'readers-retired', 'writeMany() after every reader retired');
      assert.deepEqual(w.tryWrite(5), { ok: false, reason: 'retired' }, 'tryWrite() after every reader retired');
    }),

    caseOf('R4', 'a channel with no reader end yet is open: writes go in (or wait) until a reader comes', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const write = track('write(7) before any reader exists', w.write(7));
      await settle(t, 2);
      if (kind.capacity > 0) write.value();
      else write.assertPending('while no reader exists');
      const r = c.reader();
      assert.equal(await r.read(), 7, 'the reader made later gets the value');
      await t.settle();
      write.value();
    }),

    caseOf('R4', 'a reader end may be made after some writers retired; a writer end after some readers retired', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      w1.retire();
      await t.settle();
      const r1 = c.reader();
      const write = track('write(1)', w2.write(1));
      assert.equal(await r1.read(), 1);
      await t.settle();
      write.value();
      const r2 = c.reader();
      r1.retire();
      await t.settle();
      const w3 = c.writer();
      const write3 = track('write(3) by a writer made after a reader retired', w3.write(3));
      assert.equal(await r2.read(), 3);
      await t.settle();
      write3.value();
    }),

    caseOf('R4', 'retirement is permanent: a new end on a retired side throws RetiredError', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      w.retire();
      await t.settle();
      const e1 = thrown('writer() after every writer retired', () => c.writer());
      assert.ok(e1 instanceof RetiredError, `writer() after every writer retired threw ${describe(e1)}`);
      r.retire();
      await t.settle();
      const e2 = thrown('reader() after every reader retired', () => c.reader());
      assert.ok(e2 instanceof RetiredError, `reader() after every reader retired threw ${describe(e2)}`);
    }),

    caseOf('R1', 'retiring an end twice is a no-op (it counts once)', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r = c.reader();
      w1.retire();
      w1.retire();
      await t.settle();
      const write = track('write by the other writer', w2.write(9));
      assert.equal(await r.read(), 9, 'the channel is not at end-of-stream');
      await t.settle();
      write.value();
      r.retire();
      r.retire();
    }),

    caseOf('R5', 'a retired end can no longer be used, whatever the other ends do', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      w1.retire();
      r1.retire();
      await t.settle();
      const write = track('write by a live writer', w2.write(1));
      await t.settle();
      assertRetired(await rejection('read() on a retired reader', r1.read()), 'end-retired', 'read() on a retired reader');
      assertRetired(await rejection('readMany() on a retired reader', r1.readMany(2)), 'end-retired', 'readMany() on a retired reader');
      assertRetired(thrown('tryRead() on a retired reader', () => r1.tryRead()), 'end-retired', 'tryRead() on a retired reader');
      assertRetired(await rejection('write() on a retired writer', w1.write(2)), 'end-retired', 'write() on a retired writer');
      assertRetired(await rejection('writeMany() on a retired writer', w1.writeMany([2])), 'end-retired', 'writeMany() on a retired writer');
      assertRetired(thrown('tryWrite() on a retired writer', () => w1.tryWrite(2)), 'end-retired', 'tryWrite() on a retired writer');
      assert.equal(await r2.read(), 1, 'the live ends still work');
      await t.settle();
      write.value();
    }),

    caseOf('R5', "retiring an end fails its own pending read, and the value goes to another reader", kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      const read = track('pending read on the end retired', r1.read());
      await t.settle();
      r1.retire();
      await t.settle();
      assertRetired(read.error(), 'end-retired', 'the pending read of a retired end');
      const write = track('write(4)', w.write(4));
      assert.equal(await r2.read(), 4, 'the other reader gets the value');
      await t.settle();
      write.value();
    }),
  ];

  if (waits(kind)) {
    cases.push(
      caseOf('R3', 'a write pending when the last reader retires rejects with RetiredError(readers-retired)', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        await fill(t, w, kind);
        const write = track('write into a full buffer', w.write(99));
        await t.settle();
        write.assertPending('while the buffer is full');
        r.retire();
        await t.settle();
        assertRetired(write.error(), 'readers-retired', 'the pending write');
      }),

      caseOf('R5', 'retiring an end fails its own pending write, and its value is never delivered', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w1 = c.writer();
        const w2 = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w2, kind);
        const write = track('pending write on the end retired', w1.write(99));
        await t.settle();
        w1.retire();
        await t.settle();
        assertRetired(write.error(), 'end-retired', 'the pending write of a retired end');
        const got: number[] = [];
        for (let i = 0; i < buffered.length; i++) got.push(await r.read());
        assert.deepEqual(got, buffered);
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'the withdrawn value is not delivered');
        w2.retire();
        assertRetired(await rejection('read()', r.read()), 'writers-retired', 'read() after both writers retired');
      }),
    );
  }

  return cases;
}
