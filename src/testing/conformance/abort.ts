/**
 * A1–A3: aborting blocking operations with an AbortSignal.
 */
import { alt, input } from '../../index.js';
import { assert, assertNoWaitingReader, caseOf, describe, drainNow, fill, opts, pollRead, rejection, settle, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

export function abortCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('A2', 'an aborted read took nothing: a later writer meets a later reader', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r1 = c.reader();
      const r2 = c.reader();
      const controller = new AbortController();
      const aborted = track('read({ signal })', r1.read({ signal: controller.signal }));
      await t.settle();
      const reason = new Error('no longer needed');
      controller.abort(reason);
      await t.settle();
      assert.equal(aborted.error(), reason, 'the aborted read rejects with signal.reason');
      await assertNoWaitingReader(w, r2, kind, -1, 'after the abort');
      const later = track('a later read', r2.read());
      await t.settle();
      const write = track('write(1)', w.write(1));
      await t.settle();
      assert.equal(later.value(), 1, 'the value goes to the later reader');
      write.value();
      const again = track('read again on the end whose read was aborted', r1.read());
      const write2 = track('write(2)', w.write(2));
      await t.settle();
      assert.equal(again.value(), 2, 'aborting an operation does not retire its end');
      write2.value();
    }),

    caseOf('A2', 'an aborted readMany took nothing', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const controller = new AbortController();
      const aborted = track('readMany(5, { signal })', r.readMany(5, { signal: controller.signal }));
      await t.settle();
      controller.abort(new Error('cancel'));
      await t.settle();
      assert.equal((aborted.error() as Error).message, 'cancel');
      await assertNoWaitingReader(w, r, kind, 42, 'after aborting readMany');
    }),

    caseOf('A1', 'an already-aborted signal fails read, readMany and alt at once without touching the channel', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const controller = new AbortController();
      const reason = new Error('aborted before');
      controller.abort(reason);
      const signal = controller.signal;
      assert.equal(await rejection('read() with an aborted signal', r.read({ signal })), reason, 'read() rejects with signal.reason');
      assert.equal(await rejection('readMany() with an aborted signal', r.readMany(3, { signal })), reason, 'readMany()');
      assert.equal(await rejection('alt() with an aborted signal', alt([input(r)], { signal })), reason, 'alt()');
      await t.settle();
      await assertNoWaitingReader(w, r, kind, 3, 'after operations with an aborted signal');
      const write = track('write(8)', w.write(8));
      await t.settle();
      assert.equal(await rejection('read() with an aborted signal while a value is available', r.read({ signal })), reason, 'read() with a value available');
      assert.equal(await r.read(), 8, 'the value is still there for a read without the signal');
      await t.settle();
      write.value();
    }),

    caseOf('A3', 'an abort after the read committed is ignored (exactly once either way)', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const controller = new AbortController();
      const read = track('read({ signal })', r.read({ signal: controller.signal }));
      await t.settle();
      const write = track('write(5)', w.write(5));
      controller.abort(new Error('too late'));
      await t.settle();
      if (read.outcome.state === 'rejected') {
        // The abort reached the channel first (possible only with a remote channel): the value stays.
        assert.equal(await r.read(), 5, `the read was aborted (${describe(read.error())}), so the value must still be there`);
      } else {
        assert.equal(read.value(), 5, 'the committed read completes normally');
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'the value was taken once');
      }
      await t.settle();
      write.value();
    }),

    caseOf('A1', 'an already-aborted signal fails write and writeMany at once, even when they could complete', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const controller = new AbortController();
      const reason = new Error('aborted before');
      controller.abort(reason);
      const signal = controller.signal;
      const waiting = track('a waiting read', r.read());
      await t.settle();
      assert.equal(await rejection('write() with an aborted signal', w.write(1, { signal })), reason, 'write() rejects with signal.reason');
      assert.equal(await rejection('writeMany() with an aborted signal', w.writeMany([2, 3], { signal })), reason, 'writeMany()');
      await t.settle();
      waiting.assertPending('after writes with an aborted signal');
      const write = track('write(4)', w.write(4));
      await t.settle();
      assert.equal(waiting.value(), 4, 'the waiting reader gets only the value written without the signal');
      write.value();
    }),
  ];

  if (waits(kind)) {
    cases.push(
      caseOf('A2', 'an aborted write left no offer: its value is never delivered', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w, kind);
        const controller = new AbortController();
        const write = track('write(99, { signal })', w.write(99, { signal: controller.signal }));
        await settle(t, 2);
        write.assertPending('while the buffer is full');
        const reason = new Error('withdrawn');
        controller.abort(reason);
        await t.settle();
        assert.equal(write.error(), reason, 'the aborted write rejects with signal.reason');
        const got: number[] = [];
        for (let i = 0; i < buffered.length; i++) got.push(await r.read());
        assert.deepEqual(got, buffered);
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'the aborted value is not delivered');
      }),

      caseOf('A2', 'aborting writeMany stops it: values already taken stay taken, no later value is offered', kind, async (t) => {
        const c = t.chan<number>(opts(kind));
        const w = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w, kind, 100);
        const batch = Array.from({ length: kind.capacity + 3 }, (_, i) => i + 1);
        const controller = new AbortController();
        const many = track('writeMany(batch, { signal })', w.writeMany(batch, { signal: controller.signal }));
        await t.settle();
        const got: number[] = [];
        for (let i = 0; i <= buffered.length; i++) got.push(await r.read());
        assert.deepEqual(got, [...buffered, 1], 'the buffered values, then the first value of the batch');
        await t.settle();
        many.assertPending('while the rest of the batch does not fit');
        controller.abort(new Error('enough'));
        await t.settle();
        assert.equal((many.error() as Error).message, 'enough');
        const rest = await drainNow(r);
        assert.ok(rest.length <= kind.capacity, `at most a buffer's worth remains, found ${JSON.stringify(rest)}`);
        assert.deepEqual(rest, batch.slice(1, 1 + rest.length), 'what remains is the batch in order, from its second value');
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'nothing after the abort was offered');
      }),
    );
  }

  return cases;
}
