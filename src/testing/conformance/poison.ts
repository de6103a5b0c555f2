/**
 * P1–P3: poison, the abrupt end of a channel.
 */
import { PoisonError } from '../../index.js';
import { assert, assertPoisoned, caseOf, describe, fill, opts, rejection, settle, thrown, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function poisonCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('P1', 'poison fails a pending read with PoisonError carrying reason and origin', kind, async (t) => {
      const c = t.chan<number>(opts(kind, { name: 'poisoned-channel' }));
      const w = c.writer();
      const r = c.reader();
      const read = track('pending read()', r.read());
      await t.settle();
      const reason = new Error('stop everything');
      w.poison(reason);
      await t.settle();
      const error = assertPoisoned(read.error(), reason, 'the pending read');
      assert.equal(error.origin.channel, c.name, 'PoisonError.origin.channel names the channel first poisoned');
    }),

    caseOf('P1', 'after poison every operation on every end fails with PoisonError', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      r2.poison('halt');
      await t.settle();
      for (const [what, op] of [
        ['read() on another reader', () => r1.read()],
        ['read() on the poisoning end', () => r2.read()],
        ['readMany() on another reader', () => r1.readMany(3)],
        ['write() on a writer', () => w1.write(1)],
        ['writeMany() on a writer', () => w2.writeMany([1, 2])],
      ] as const) {
        assertPoisoned(await rejection(what, op()), 'halt', what);
      }
      assertPoisoned(thrown('tryRead()', () => r1.tryRead()), 'halt', 'tryRead()');
      assertPoisoned(thrown('tryWrite()', () => w1.tryWrite(1)), 'halt', 'tryWrite()');
      let late: unknown;
      try {
        const r3 = c.reader();
        late = await rejection('read() on a reader made after the poison', r3.read());
      } catch (error) {
        late = error;
      }
      assertPoisoned(late, 'halt', 'a reader made after the poison (throws at reader() or fails its read)');
    }),

    caseOf('P2', 'poisoning through an end that has retired or been poisoned is a no-op; the first reason stays', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r = c.reader();
      w1.retire();
      w1.poison('ignored');
      await t.settle();
      const write = track('write by the live writer', w2.write(5));
      assert.equal(await r.read(), 5, 'poison through a retired end did nothing');
      await t.settle();
      write.value();
      w2.poison('first');
      w2.poison('second');
      r.poison('third');
      await t.settle();
      assertPoisoned(await rejection('read()', r.read()), 'first', 'read() after poisoning three times');
    }),

    caseOf('P3', 'poison wins over retirement', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w1 = c.writer();
      const w2 = c.writer();
      const r = c.reader();
      await fill(t, w1, { ...kind, capacity: Math.min(kind.capacity, 2) });
      w1.retire();
      w2.retire();
      await t.settle();
      r.poison('late');
      await t.settle();
      const error = await rejection('read() after all writers retired then poison', r.read());
      assertPoisoned(error, 'late', 'read() after all writers retired then poison');
      assertPoisoned(thrown('tryRead()', () => r.tryRead()), 'late', 'tryRead() after retire then poison');
      const e2 = await rejection('write() on a retired end of a poisoned channel', w1.write(1));
      assert.ok(e2 instanceof PoisonError, `R5/P3: a retired end of a poisoned channel reports PoisonError, got ${describe(e2)}`);
    }),
  ];

  if (kind.capacity > 0) {
    cases.push(
      caseOf('P1', 'poison discards the buffer', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        await fill(t, w, { ...kind, capacity: Math.min(kind.capacity, 3) });
        w.poison('gone');
        await t.settle();
        assertPoisoned(await rejection('read() of a poisoned buffered channel', r.read()), 'gone', 'read()');
      }),
    );
  }

  if (waits(kind)) {
    cases.push(
      caseOf('P1', 'poison fails a pending write with PoisonError', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        await fill(t, w, kind);
        const write = track('pending write()', w.write(99));
        await settle(t, 2);
        write.assertPending('while the buffer is full');
        r.poison('reader gave up');
        await t.settle();
        assertPoisoned(write.error(), 'reader gave up', 'the pending write');
      }),
    );
  }

  return cases;
}
