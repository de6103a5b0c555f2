/**
 * C4 (exactly once) and C5 (FIFO per writer), with concurrent writers and readers.
 */
import type { Reader, Writer } from '../../index.js';
import { assert, assertIncreasing, caseOf, opts, readAll } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

interface Tagged {
  readonly writer: number;
  readonly i: number;
}

async function writeAll(w: Writer<Tagged>, writer: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await w.write({ writer, i });
  w.retire();
}

export function fifoCases(kind: BufferKind): ConformanceCase[] {
  return [
    caseOf('C5', "one writer's values are read in the order written", kind, async (t) => {
      const n = 25;
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const writing = (async () => {
        for (let i = 0; i < n; i++) await w.write(i);
        w.retire();
      })();
      const [, got] = await Promise.all([writing, readAll(r)]);
      if (waits(kind)) {
        assert.deepEqual(got, Array.from({ length: n }, (_, i) => i), 'every value, in order');
        return;
      }
      assertIncreasing(got, 'values read');
      if (kind.overflow === 'drop-newest') assert.equal(got[0], 0, 'dropping never discards a value written into an empty buffer');
      else assert.equal(got[got.length - 1], n - 1, 'sliding never discards the newest value');
    }),

    caseOf('C4', 'several writers and readers: every value read exactly once, FIFO per writer', kind, async (t) => {
      const writers = 3;
      const readers = 3;
      const n = 12;
      const c = t.chan<Tagged>(opts(kind));
      const ws = Array.from({ length: writers }, () => c.writer());
      const rs: Reader<Tagged>[] = Array.from({ length: readers }, () => c.reader());
      const reading = rs.map((r) => readAll(r));
      await Promise.all(ws.map((w, k) => writeAll(w, k, n)));
      const perReader = await Promise.all(reading);
      const seen = new Set<string>();
      for (const [k, got] of perReader.entries()) {
        for (let writer = 0; writer < writers; writer++) {
          assertIncreasing(got.filter((v) => v.writer === writer).map((v) => v.i), `reader ${k}, values of writer ${writer}`);
        }
        for (const v of got) {
          const key = `${v.writer}:${v.i}`;
          assert.ok(!seen.has(key), `value ${key} was delivered twice`);
          seen.add(key);
        }
      }
      if (waits(kind)) assert.equal(seen.size, writers * n, 'every value written was delivered');
    }),
  ];
}
