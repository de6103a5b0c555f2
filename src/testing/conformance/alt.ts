/**
 * ALT1–ALT7: alternation commits to exactly one guard and leaves the others untouched.
 */
import { alt, input, output, PoisonError, priAlt, skip, timeout, type Writer } from '../../index.js';
import {
  assert,
  assertNoWaitingReader,
  assertNoWaitingWriter,
  assertPoisoned,
  assertRetired,
  caseOf,
  describe,
  fill,
  opts,
  pollRead,
  rejection,
  settle,
  track,
  type Tracked,
} from './support.js';
import { waits, type BufferKind, type ConformanceCase, type ConformanceTransport } from './types.js';

/** Makes `value` ready for an input guard: buffered, or offered by a waiting writer (rendezvous). */
async function ready<T>(t: ConformanceTransport, w: Writer<T>, value: T): Promise<Tracked<void>> {
  const write = track(`write(${describe(value)})`, w.write(value));
  await t.settle();
  return write;
}

function pair<T>(t: ConformanceTransport, kind: BufferKind, name: string) {
  const c = t.chan<T>(opts(kind, { name }));
  return { c, w: c.writer(), r: c.reader() };
}

export function altCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('ALT1', 'an input guard takes a ready value', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const write = await ready(t, a.w, 5);
      const res = await alt([input(a.r)]);
      assert.deepEqual(res, { index: 0, value: 5 });
      await t.settle();
      write.value();
      await assertNoWaitingWriter(a.r, 'after the alt took the only value');
    }),

    caseOf('ALT1', 'an alt waits until one of its guards becomes ready', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const res = track('alt([input(a), input(b)])', alt([input(a.r), input(b.r)]));
      await settle(t, 2);
      res.assertPending('while no guard is ready');
      const write = track('write to b', b.w.write(7));
      await t.settle();
      assert.deepEqual(res.value(), { index: 1, value: 7 });
      write.value();
      await assertNoWaitingReader(a.w, a.r, kind, -1, 'ALT2: guard a after the alt committed on b');
    }),

    caseOf('ALT2', 'the guard not chosen keeps its value; the chosen one gave exactly one', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const writes = [await ready(t, a.w, 1), await ready(t, b.w, 2)];
      const res = await alt([input(a.r), input(b.r)]);
      const chosen = res.index === 0 ? a : b;
      const other = res.index === 0 ? b : a;
      assert.equal(res.value, res.index + 1, 'the value of the chosen guard');
      await t.settle();
      (writes[res.index] as Tracked<void>).value();
      await assertNoWaitingWriter(chosen.r, 'the chosen guard gave exactly one value');
      assert.equal(await other.r.read(), 2 - res.index, 'the other guard still has its value');
      await t.settle();
      (writes[1 - res.index] as Tracked<void>).value();
    }),

    caseOf('ALT1', 'an output guard gives its value to a waiting reader', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const read = track('waiting read', a.r.read());
      await t.settle();
      const res = await alt([output(a.w, 3)]);
      assert.deepEqual(res, { index: 0, value: undefined });
      await t.settle();
      assert.equal(read.value(), 3);
    }),

    caseOf('ALT3', 'a guard with when: false is inert, even when its channel is ready', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const c = pair<number>(t, kind, 'c');
      const writeA = await ready(t, a.w, 1);
      const readC = track('waiting read on c', c.r.read());
      await t.settle();
      const res = track('alt', alt([input(a.r, { when: false }), output(c.w, 5, { when: false }), input(b.r)]));
      await settle(t, 2);
      res.assertPending('while only disabled guards are ready');
      const writeB = track('write to b', b.w.write(2));
      await t.settle();
      assert.deepEqual(res.value(), { index: 2, value: 2 });
      writeB.value();
      readC.assertPending('(the disabled output guard gave nothing)');
      assert.equal(await a.r.read(), 1, 'the disabled input guard took nothing');
      await t.settle();
      writeA.value();
      const unblock = track('write to c', c.w.write(6));
      await t.settle();
      assert.equal(readC.value(), 6);
      unblock.value();
    }),

    caseOf('ALT3', 'an alt with no enabled guard rejects at once with RangeError', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const e1 = await rejection('alt([]) ', alt([]));
      assert.ok(e1 instanceof RangeError, `alt([]) rejected with ${describe(e1)}`);
      const e2 = await rejection('alt of disabled guards', alt([input(a.r, { when: false }), output(a.w, 1, { when: false }), skip({ when: false })]));
      assert.ok(e2 instanceof RangeError, `alt of disabled guards rejected with ${describe(e2)}`);
      await assertNoWaitingReader(a.w, a.r, kind, 1, 'after the rejected alt');
    }),

    caseOf('ALT4', 'priAlt: among ready guards the first in order wins', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const writeB = await ready(t, b.w, 100);
      for (let i = 0; i < 10; i++) {
        const writeA = await ready(t, a.w, i);
        assert.deepEqual(await priAlt([input(a.r), input(b.r)]), { index: 0, value: i }, `round ${i}`);
        await t.settle();
        writeA.value();
      }
      const writeA = await ready(t, a.w, 10);
      assert.deepEqual(await priAlt([input(b.r), input(a.r)]), { index: 0, value: 100 }, 'the order given decides, not the channel');
      assert.equal(await a.r.read(), 10);
      await t.settle();
      writeA.value();
      writeB.value();
    }),

    caseOf('ALT4', 'a fair alt chooses every ready guard sometimes (200 alts, each guard >= 20)', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const refill = (w: Writer<number>, v: number): void => {
        track('refill', w.write(v));
      };
      refill(a.w, 0);
      refill(b.w, 0);
      const counts = [0, 0];
      for (let i = 1; i <= 200; i++) {
        await t.settle();
        const res = await alt([input(a.r), input(b.r)]);
        counts[res.index] = (counts[res.index] as number) + 1;
        refill(res.index === 0 ? a.w : b.w, i);
      }
      assert.ok((counts[0] as number) >= 20 && (counts[1] as number) >= 20, `a guard starved: chosen ${counts[0]} and ${counts[1]} times`);
    }),

    caseOf('ALT4', 'skip() is always ready', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      assert.deepEqual(await alt([input(a.r), skip()]), { index: 1, value: undefined }, 'skip wins when nothing else is ready');
      await assertNoWaitingReader(a.w, a.r, kind, 1, 'ALT2: after skip won');
      const write = await ready(t, a.w, 2);
      assert.deepEqual(await priAlt([input(a.r), skip()]), { index: 0, value: 2 }, 'priAlt: a ready input before skip wins');
      await t.settle();
      write.value();
    }),

    caseOf('ALT4', 'an alt whose only ready guard is a timeout resolves with that index', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      assert.deepEqual(await alt([input(a.r), timeout(0)]), { index: 1, value: undefined });
      await assertNoWaitingReader(a.w, a.r, kind, 1, 'ALT2: after the timeout won');
      const write = await ready(t, a.w, 2);
      assert.deepEqual(await alt([input(a.r), timeout(60_000)]), { index: 0, value: 2 }, 'a ready input beats a long timeout');
      await t.settle();
      write.value();
    }),

    caseOf('ALT5', 'an input guard whose writers all retired (buffer empty) is ready: the alt rejects with RetiredError(guardIndex)', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      if (kind.capacity > 0) await ready(t, a.w, 1);
      a.w.retire();
      await t.settle();
      if (kind.capacity > 0) assert.deepEqual(await priAlt([input(b.r), input(a.r)]), { index: 1, value: 1 }, 'the buffer drains first');
      const error = assertRetired(await rejection('alt over a retired input', priAlt([input(b.r), input(a.r)])), 'writers-retired', 'alt');
      assert.equal(error.guardIndex, 1, 'RetiredError.guardIndex');
      await assertNoWaitingReader(b.w, b.r, kind, 3, 'ALT2: guard b after the alt rejected');
    }),

    caseOf('ALT5', 'an output guard whose readers all retired rejects the alt with RetiredError(guardIndex)', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      a.r.retire();
      await t.settle();
      const error = assertRetired(await rejection('alt over a retired output', priAlt([input(b.r), output(a.w, 1)])), 'readers-retired', 'alt');
      assert.equal(error.guardIndex, 1, 'RetiredError.guardIndex');
    }),

    caseOf('ALT5', 'a waiting alt rejects with RetiredError(guardIndex) when a guard retires', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const res = track('alt', alt([input(a.r), input(b.r)]));
      await t.settle();
      b.w.retire();
      await t.settle();
      const error = assertRetired(res.error(), 'writers-retired', 'the waiting alt');
      assert.equal(error.guardIndex, 1, 'RetiredError.guardIndex');
      await assertNoWaitingReader(a.w, a.r, kind, 3, 'ALT2: guard a after the alt rejected');
    }),

    caseOf('ALT5', 'a poisoned guard is ready: the alt rejects with its PoisonError, now or while waiting', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      a.w.poison('p');
      await t.settle();
      assertPoisoned(await rejection('alt over a poisoned input', priAlt([input(b.r), input(a.r)])), 'p', 'alt over a poisoned guard');
      const c = pair<number>(t, kind, 'c');
      const res = track('alt', alt([input(b.r), input(c.r)]));
      await t.settle();
      res.assertPending('with nothing ready');
      c.w.poison('q');
      await t.settle();
      assertPoisoned(res.error(), 'q', 'the waiting alt');
    }),

    caseOf('ALT5', 'the PoisonError an alt rejects with names the guard (guardIndex)', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      a.w.poison('p');
      await t.settle();
      const error = await rejection('alt over a poisoned input', priAlt([input(b.r), input(a.r)]));
      assert.ok(error instanceof PoisonError, `expected PoisonError, got ${describe(error)}`);
      assert.equal((error as PoisonError & { guardIndex?: number }).guardIndex, 1, 'PoisonError.guardIndex');
    }),

    caseOf('ALT6', 'an alt never meets itself (an input and an output guard on one channel)', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const other = a.c.reader();
      const res = track('alt([input(a), output(a, 1)])', alt([input(a.r), output(a.w, 1)]));
      await settle(t, 2);
      if (kind.capacity === 0) {
        res.assertPending('with only its own offers on the channel');
        const read = track('read by another reader', other.read());
        await t.settle();
        assert.equal(read.value(), 1);
      } else {
        assert.deepEqual(await pollRead(other), { ok: true, value: 1 }, 'the output went into the buffer');
      }
      assert.deepEqual(res.value(), { index: 1, value: undefined });
      await assertNoWaitingReader(a.w, other, kind, 2, "ALT2: the alt's input offer was withdrawn");
    }),

    caseOf('ALT6', "two alts meet: a waiting input alt and an output alt commit each other", kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const x = pair<number>(t, kind, 'x');
      const y = pair<number>(t, kind, 'y');
      const inputs = track('input alt', alt([input(a.r), input(x.r)]));
      await settle(t, 2);
      inputs.assertPending('with nothing to read');
      const outputs = await priAlt([output(a.w, 9), output(y.w, 1)]);
      await t.settle();
      assert.deepEqual(inputs.value(), { index: 0, value: 9 }, 'the input alt');
      assert.deepEqual(outputs, { index: 0, value: undefined }, 'the output alt');
      await assertNoWaitingReader(x.w, x.r, kind, 5, "ALT2: the input alt's other offer");
      await assertNoWaitingWriter(y.r, "ALT2: the output alt's other offer");
    }),

    caseOf('ALT7', 'aborting a waiting alt withdraws every guard and rejects with signal.reason', kind, async (t) => {
      const a = pair<number>(t, kind, 'a');
      const b = pair<number>(t, kind, 'b');
      const buffered = waits(kind) ? await fill(t, b.w, kind) : null;
      const controller = new AbortController();
      const guards = buffered === null ? [input(a.r)] : [input(a.r), output(b.w, 99)];
      const res = track('alt({ signal })', alt(guards, { signal: controller.signal }));
      await settle(t, 2);
      res.assertPending('with nothing ready');
      const reason = new Error('stop waiting');
      controller.abort(reason);
      await t.settle();
      assert.equal(res.error(), reason);
      await assertNoWaitingReader(a.w, a.r, kind, 1, 'guard a after the abort');
      if (buffered !== null) {
        const got: number[] = [];
        for (let i = 0; i < buffered.length; i++) got.push(await b.r.read());
        assert.deepEqual(got, buffered);
        await assertNoWaitingWriter(b.r, 'guard b after the abort');
      }
    }),
  ];

  if (waits(kind)) {
    cases.push(
      caseOf('ALT1', 'a waiting output guard commits when a reader makes room', kind, async (t) => {
        const a = pair<number>(t, kind, 'a');
        const buffered = await fill(t, a.w, kind);
        const res = track('alt([output(a, 99)])', alt([output(a.w, 99)]));
        await settle(t, 2);
        res.assertPending('while the channel cannot take the value');
        const got: number[] = [];
        for (let i = 0; i <= buffered.length; i++) got.push(await a.r.read());
        assert.deepEqual(got, [...buffered, 99]);
        await t.settle();
        assert.deepEqual(res.value(), { index: 0, value: undefined });
      }),

      caseOf('ALT2', 'an output guard not chosen leaves no offer behind', kind, async (t) => {
        const a = pair<number>(t, kind, 'a');
        const b = pair<number>(t, kind, 'b');
        const buffered = await fill(t, b.w, kind);
        const res = track('alt([input(a), output(b, 99)])', alt([input(a.r), output(b.w, 99)]));
        await settle(t, 2);
        res.assertPending('with nothing ready');
        const write = track('write to a', a.w.write(1));
        await t.settle();
        assert.deepEqual(res.value(), { index: 0, value: 1 });
        write.value();
        const got: number[] = [];
        for (let i = 0; i < buffered.length; i++) got.push(await b.r.read());
        assert.deepEqual(got, buffered);
        await assertNoWaitingWriter(b.r, 'guard b after the alt committed on a');
      }),

      caseOf('ALT5', 'a waiting output guard rejects with RetiredError(readers-retired) when the readers retire', kind, async (t) => {
        const a = pair<number>(t, kind, 'a');
        const b = pair<number>(t, kind, 'b');
        await fill(t, a.w, kind);
        const res = track('alt', alt([input(b.r), output(a.w, 1)]));
        await t.settle();
        a.r.retire();
        await t.settle();
        const error = assertRetired(res.error(), 'readers-retired', 'the waiting alt');
        assert.equal(error.guardIndex, 1, 'RetiredError.guardIndex');
        await assertNoWaitingReader(b.w, b.r, kind, 3, 'ALT2: guard b after the alt rejected');
      }),
    );
  }

  if (kind.capacity === 0) {
    cases.push(
      caseOf('ALT6', 'two alts meet: a waiting output alt and an input alt commit each other', kind, async (t) => {
        const a = pair<number>(t, kind, 'a');
        const x = pair<number>(t, kind, 'x');
        const y = pair<number>(t, kind, 'y');
        const outputs = track('output alt', alt([output(a.w, 9), output(y.w, 1)]));
        await settle(t, 2);
        outputs.assertPending('with nobody reading');
        const inputs = await alt([input(a.r), input(x.r)]);
        await t.settle();
        assert.deepEqual(inputs, { index: 0, value: 9 }, 'the input alt');
        assert.deepEqual(outputs.value(), { index: 0, value: undefined }, 'the output alt');
        await assertNoWaitingReader(x.w, x.r, kind, 5, "ALT2: the input alt's other offer");
        await assertNoWaitingWriter(y.r, "ALT2: the output alt's other offer");
      }),
    );
  }

  return cases;
}
