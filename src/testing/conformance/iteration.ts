/**
 * C9: readers are async iterables. The cases on a paused or abandoned loop hold for a proxy that
 * reads ahead exactly as for an in-process end (rules RA1–RA5): a loop never takes more than the
 * buffer allows, and what it has not handed out goes to the next reader, in order.
 */
import type { Reader } from '../../core/ends.js';
import { assert, assertPoisoned, caseOf, opts, pollWrite, readAll, rejection, settle, track, until } from './support.js';
import { waits, type BufferKind, type ConformanceCase, type ConformanceTransport } from './types.js';

/** Writes 0..n-1 one at a time, then retires; `done` counts the writes resolved so far. */
function writeInOrder(t: ConformanceTransport, kind: BufferKind, n: number) {
  const c = t.chan<number>(opts(kind));
  const w = c.writer();
  const progress = { done: 0 };
  const writing = (async () => {
    for (let i = 0; i < n; i++) {
      await w.write(i);
      progress.done++;
    }
    w.retire();
  })();
  return { c, w, progress, writing };
}

/** Takes `k` values with the loop's own iterator (as `for await` does), leaving the loop paused. */
async function takeWith(t: ConformanceTransport, it: AsyncIterator<number>, k: number): Promise<number[]> {
  const got: number[] = [];
  for (let i = 0; i < k; i++) {
    const next = track(`next() #${i + 1}`, it.next());
    await until(t, () => next.settled, `next() #${i + 1}`);
    const res = next.value();
    assert.equal(res.done, false, `next() #${i + 1} should yield a value`);
    got.push(res.value as number);
  }
  return got;
}

/** The loop of a paused `for await` over `r`. */
const loopOf = (r: Reader<number>): AsyncIterator<number> => r[Symbol.asyncIterator]();

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

    ...(waits(kind) ? pausedLoopCases(kind) : []),
  ];
}

/** Cases on a loop paused between values, or left with values still to come (waiting kinds: nothing is discarded). */
function pausedLoopCases(kind: BufferKind): ConformanceCase[] {
  const n = kind.capacity;
  return [
    caseOf('C3', 'a paused for await holds no more than the buffer: writes resolve for the values taken and the room left', kind, async (t) => {
      const { c, progress } = writeInOrder(t, kind, n + 6);
      const it = loopOf(c.reader());
      assert.deepEqual(await takeWith(t, it, 2), [0, 1]);
      await until(t, () => progress.done >= n + 2, `${n + 2} writes (2 taken, ${n} buffered)`);
      await settle(t, 3);
      assert.equal(progress.done, n + 2, `writes resolved with the loop paused after 2 values on ${kind.name}`);
      assert.deepEqual(await takeWith(t, it, 1), [2]);
      await until(t, () => progress.done >= n + 3, `the write after a third value was taken`);
      await settle(t, 3);
      assert.equal(progress.done, n + 3, `writes resolved with the loop paused after 3 values on ${kind.name}`);
      await it.return?.();
    }),

    caseOf('C9', 'a loop left early (break) leaves the rest to the next reader, in order, each value once', kind, async (t) => {
      const { c, writing } = writeInOrder(t, kind, n + 6);
      const r1 = c.reader();
      const got1: number[] = [];
      for await (const v of r1) {
        got1.push(v);
        if (got1.length === 2) break;
      }
      const r2 = c.reader();
      r1.retire();
      const got2 = await readAll(r2);
      await writing;
      assert.deepEqual([...got1, ...got2], Array.from({ length: n + 6 }, (_, i) => i));
    }),

    caseOf('C4', 'a reader that arrives while a loop is paused takes the next value; the loop then goes on after it', kind, async (t) => {
      const { c, writing } = writeInOrder(t, kind, n + 6);
      const r1 = c.reader();
      const it = loopOf(r1);
      const first = await takeWith(t, it, 2);
      await settle(t, 2);
      const r2 = c.reader();
      const second = track('read() by the second reader', r2.read());
      await until(t, () => second.settled, 'the second reader');
      const third = await takeWith(t, it, 1);
      assert.deepEqual([...first, second.value(), ...third], [0, 1, 2, 3]);
      r1.retire();
      const rest = await readAll(r2);
      await writing;
      assert.deepEqual(rest, Array.from({ length: n + 2 }, (_, i) => i + 4));
    }),

    caseOf('C9', 'a paused loop on a channel poisoned meanwhile throws PoisonError next, whatever it had read ahead', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const writes = Array.from({ length: n + 2 }, (_, i) => track(`write(${i})`, w.write(i)));
      const it = loopOf(c.reader());
      assert.deepEqual(await takeWith(t, it, 2), [0, 1]);
      await settle(t, 2);
      w.poison('stop');
      await settle(t, 2);
      assertPoisoned(await rejection('next() after poison', it.next()), 'stop', 'the paused loop');
      for (const write of writes) if (write.outcome.state === 'rejected') assertPoisoned(write.error(), 'stop', write.what);
    }),
  ];
}
