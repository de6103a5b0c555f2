/**
 * C10: the cap on waiting operations per channel.
 */
import { alt, input, PendingLimitError } from '../../index.js';
import { assert, caseOf, describe, fill, opts, pollRead, rejection, track } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

function assertLimit(error: unknown, channel: string, limit: number, what: string): void {
  assert.ok(error instanceof PendingLimitError, `${what}: expected PendingLimitError, got ${describe(error)}`);
  assert.equal(error.channel, channel, `${what}: PendingLimitError.channel`);
  assert.equal(error.limit, limit, `${what}: PendingLimitError.limit`);
  assert.match(error.message, /maxPending/, `${what}: the message says what to do`);
}

export function pendingCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('C10', 'a read past maxPending fails with PendingLimitError; an aborted read frees its slot', kind, async (t) => {
      const c = t.chan<number>(opts(kind, { maxPending: 2 }));
      const w = c.writer();
      const r = c.reader();
      const controller = new AbortController();
      const first = track('first waiting read', r.read());
      const second = track('second waiting read', r.read({ signal: controller.signal }));
      await t.settle();
      assertLimit(await rejection('a third waiting read', r.read()), c.name, 2, 'read()');
      assertLimit(await rejection('an alt over the full channel', alt([input(r)])), c.name, 2, 'alt()');
      controller.abort(new Error('free a slot'));
      await t.settle();
      second.error();
      const third = track('a read after the abort', r.read());
      await t.settle();
      const writes = [track('write(1)', w.write(1)), track('write(2)', w.write(2))];
      await t.settle();
      assert.equal(first.value(), 1);
      assert.equal(third.value(), 2);
      for (const write of writes) write.value();
    }),
  ];

  if (waits(kind)) {
    cases.push(
      caseOf('C10', 'a write past maxPending fails with PendingLimitError', kind, async (t) => {
        const c = t.chan<number>(opts(kind, { maxPending: 2 }));
        const w = c.writer();
        const r = c.reader();
        const buffered = await fill(t, w, kind);
        const writes = [track('first waiting write', w.write(100)), track('second waiting write', w.write(101))];
        await t.settle();
        assertLimit(await rejection('a third waiting write', w.write(102)), c.name, 2, 'write()');
        const got: number[] = [];
        for (let i = 0; i < buffered.length + 2; i++) got.push(await r.read());
        assert.deepEqual(got, [...buffered, 100, 101], 'the failed write left nothing behind');
        assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' });
        await t.settle();
        for (const write of writes) write.value();
      }),
    );
  }

  return cases;
}
