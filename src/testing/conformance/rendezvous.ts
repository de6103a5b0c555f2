/**
 * C3 (rendezvous part), C5 (waiting readers and writers in arrival order), C6 (no lost wake-up).
 */
import { assert, caseOf, describe, fill, opts, pollRead, pollWrite, settle, survivors, thrown, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function rendezvousCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [];

  if (kind.capacity === 0) {
    cases.push(
      caseOf('C1', 'an invalid buffer throws RangeError; buffer 0 makes a rendezvous channel', kind, async (t) => {
        for (const buffer of [-1, 1.5, Number.NaN]) {
          const error = thrown(`chan({ buffer: ${buffer} })`, () => t.chan<number>({ buffer }));
          assert.ok(error instanceof RangeError, `chan({ buffer: ${buffer} }) threw ${describe(error)}`);
        }
        const c = t.chan<number>({ buffer: 0 });
        const w = c.writer();
        const r = c.reader();
        assert.deepEqual(await pollWrite(w, 1), { ok: false, reason: 'full' }, 'buffer 0: nothing is accepted without a reader');
        const write = track('write(2)', w.write(2));
        await settle(t, 2);
        write.assertPending('with buffer 0 and nobody reading');
        assert.equal(await r.read(), 2);
      }),

      caseOf('C3', 'a rendezvous write resolves only once a reader has taken its value', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const write = track('write(1)', w.write(1));
        await settle(t, 2);
        write.assertPending('while no reader has read');
        const read = track('read()', r.read());
        await t.settle();
        assert.equal(read.value(), 1, 'the reader gets the value written');
        write.value();
      }),
    );
  }

  cases.push(
    caseOf('C3', 'a read waits for a writer and gets its value', kind, async (t) => {
      const c = t.chan<string>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const read = track('read()', r.read());
      await settle(t, 2);
      read.assertPending('while nothing was written');
      const write = track('write("x")', w.write('x'));
      await t.settle();
      assert.equal(read.value(), 'x');
      write.value();
    }),

    caseOf('C3', 'null and undefined are ordinary values', kind, async (t) => {
      const c = t.chan<null | undefined | number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const writes = [track('write(undefined)', w.write(undefined)), track('write(null)', w.write(null)), track('write(0)', w.write(0))];
      await t.settle();
      const expected = survivors(kind, [undefined, null, 0]);
      const got: (null | undefined | number)[] = [];
      for (let i = 0; i < expected.length; i++) got.push(await r.read());
      assert.deepEqual(got, expected, 'values read');
      await t.settle();
      for (const write of writes) write.value();
    }),

    caseOf('C6', 'a value written while readers wait goes to the first of them, never into the buffer', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      const first = track('first waiting read', r1.read());
      await t.settle();
      const second = track('second waiting read', r2.read());
      await t.settle();
      const write1 = track('write(1)', w.write(1));
      await t.settle();
      assert.equal(first.value(), 1, 'C5: waiting readers are served in arrival order');
      second.assertPending('after one write');
      const write2 = track('write(2)', w.write(2));
      await t.settle();
      assert.equal(second.value(), 2);
      write1.value();
      write2.value();
      assert.deepEqual(await pollRead(r1), { ok: false, reason: 'empty' }, 'nothing is left in the buffer');
    }),
  );

  if (kind.capacity > 0) {
    cases.push(
      caseOf('C3', 'a buffered write resolves once its value is in the buffer, with nobody reading', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const values = await fill(t, w, kind, 100);
        const got: number[] = [];
        for (let i = 0; i < values.length; i++) got.push(await r.read());
        assert.deepEqual(got, values, 'the buffered values, in order');
      }),
    );
  }

  if (waits(kind)) {
    cases.push(
      caseOf('C5', 'waiting writers are served in arrival order, after the buffered values', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w1 = c.writer();
        const w2 = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w1, kind, 0);
        const a = track('first waiting write', w1.write(100));
        await t.settle();
        const b = track('second waiting write', w2.write(200));
        await t.settle();
        a.assertPending('while the buffer is full');
        b.assertPending('while the buffer is full');
        const got: number[] = [];
        for (let i = 0; i < buffered.length + 2; i++) got.push(await r.read());
        assert.deepEqual(got, [...buffered, 100, 200]);
        await t.settle();
        a.value();
        b.value();
      }),
    );
  }

  if (kind.capacity > 0 && waits(kind)) {
    cases.push(
      caseOf('C3', 'a fixed(n) write waits while the buffer is full, and resolves once a read makes room', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w, kind, 0);
        const extra = track('write into a full buffer', w.write(kind.capacity));
        await settle(t, 2);
        extra.assertPending('while the buffer is full');
        assert.equal(await r.read(), 0);
        await t.settle();
        extra.value();
        const got: number[] = [];
        for (let i = 0; i < buffered.length; i++) got.push(await r.read());
        assert.deepEqual(got, [...buffered.slice(1), kind.capacity]);
      }),
    );
  }

  if (kind.overflow === 'drop-newest' || kind.overflow === 'drop-oldest') {
    const dropping = kind.overflow === 'drop-newest';
    cases.push(
      caseOf('C3', `${dropping ? 'dropping: a full buffer discards the new value' : 'sliding: a full buffer discards the oldest value'}; writes never wait`, kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const written: number[] = [];
        for (let i = 0; i < kind.capacity + 3; i++) written.push(i);
        const writes = written.map((v) => track(`write(${v})`, w.write(v)));
        await t.settle();
        for (const write of writes) write.value();
        const got: number[] = [];
        for (let i = 0; i < kind.capacity; i++) got.push(await r.read());
        const expected = dropping ? written.slice(0, kind.capacity) : written.slice(3);
        assert.deepEqual(got, expected, 'what survives a full buffer');
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'nothing else is buffered');
      }),
    );
  }

  return cases;
}

