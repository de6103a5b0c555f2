/**
 * Systolic matrix multiplication: C = A × B on a grid of rows(A) × cols(B) cell processes. Row i
 * of A flows in from the left of grid row i, column j of B from the top of grid column j; each
 * cell takes one a (from its left) and one b (from above) per step, adds a·b to its sum, and
 * passes a right and b down. After k = cols(A) steps, cell (i, j) holds C[i][j].
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkFinite } from './check.js';

export type Matrix = readonly (readonly number[])[];

interface Entry {
  readonly i: number;
  readonly j: number;
  readonly value: number;
}

export const feed = process('kit.systolic.feed', async (values: readonly number[], out: Writer<number>) => {
  for (const v of values) await out.write(v);
});

export const cell = process(
  'kit.systolic.cell',
  async (
    at: readonly [number, number],
    k: number,
    left: Reader<number>,
    up: Reader<number>,
    right: Writer<number> | null,
    down: Writer<number> | null,
    out: Writer<Entry>,
  ) => {
    let sum = 0;
    for (let t = 0; t < k; t++) {
      const a = await left.read();
      const b = await up.read();
      if (right !== null) await right.write(a);
      if (down !== null) await down.write(b);
      sum += a * b;
    }
    await out.write({ i: at[0], j: at[1], value: sum });
  },
);

export const gather = process('kit.systolic.gather', async (from: Reader<Entry>, into: number[][]) => {
  for await (const e of from) (into[e.i] ??= [])[e.j] = e.value;
});

/** The processes of the grid, under their stable names (what a worker registers). */
export const systolicProcesses = { feed, cell, gather };

/** The shape of A × B: n×k times k×m; refuses anything else. */
function shape(where: string, a: Matrix, b: Matrix): { n: number; k: number; m: number } {
  checkArray(where, 'a', a);
  checkArray(where, 'b', b);
  const k = b.length;
  const m = k === 0 ? 0 : (b[0] as readonly number[]).length;
  a.forEach((row, i) => {
    checkArray(where, `a[${i}]`, row);
    if (row.length !== k) throw new RangeError(`${where}: a must be n×k and b k×m, but a[${i}] has ${row.length} columns and b has ${k} rows`);
    row.forEach((x, j) => checkFinite(where, `a[${i}][${j}]`, x));
  });
  b.forEach((row, t) => {
    checkArray(where, `b[${t}]`, row);
    if (row.length !== m) throw new RangeError(`${where}: every row of b must have ${m} columns, but b[${t}] has ${row.length}`);
    row.forEach((x, j) => checkFinite(where, `b[${t}][${j}]`, x));
  });
  return { n: a.length, k, m };
}

/**
 * A × B (n×k times k×m) as a network: feeds and an n×m grid of cells that may run in workers;
 * `gather`, on main, puts C[i][j] at `into[i][j]` (making rows that are missing).
 */
export function systolicNetwork(a: Matrix, b: Matrix, into: number[][]): Network {
  const { n, k, m } = shape('systolicNetwork', a, b);
  checkArray('systolicNetwork', 'into', into);
  return network((net) => {
    // h[i][j] feeds cell (i, j) from its left; v[i][j] feeds it from above.
    const h = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => net.channel<number>(`h${i}.${j}`)));
    const v = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => net.channel<number>(`v${i}.${j}`)));
    const out = net.channel<Entry>('entries');
    for (let i = 0; i < n; i++) if (m > 0) net.spawn(feed(a[i] as readonly number[], h[i]![0]!.writer()));
    for (let j = 0; j < m; j++) if (n > 0) net.spawn(feed(b.map((row) => row[j] as number), v[0]![j]!.writer()));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const right = j + 1 < m ? h[i]![j + 1]!.writer() : null;
        const down = i + 1 < n ? v[i + 1]![j]!.writer() : null;
        net.spawn(cell([i, j] as const, k, h[i]![j]!.reader(), v[i]![j]!.reader(), right, down, out.writer()));
      }
    }
    // With no cells nobody writes `entries`: a gather would wait on it forever.
    if (n > 0 && m > 0) net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

/** A × B for an n×k A and a k×m B: `systolicNetwork` run in this thread. */
export async function systolicMultiply(a: Matrix, b: Matrix): Promise<number[][]> {
  const c = Array.from({ length: Array.isArray(a) ? a.length : 0 }, () => [] as number[]);
  await run(systolicNetwork(a, b, c), { runtime: local() });
  return c;
}

/** The sequential reference. */
export function multiplyReference(a: Matrix, b: Matrix): number[][] {
  const k = b.length;
  const m = k === 0 ? 0 : (b[0] as readonly number[]).length;
  return a.map((row) => Array.from({ length: m }, (_, j) => row.reduce((s, x, t) => s + x * ((b[t] as readonly number[])[j] as number), 0)));
}
