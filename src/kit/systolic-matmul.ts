/**
 * Systolic matrix multiplication: C = A × B on a grid of rows(A) × cols(B) cell processes. Row i
 * of A flows in from the left of grid row i, column j of B from the top of grid column j; each
 * cell takes one a (from its left) and one b (from above) per step, adds a·b to its sum, and
 * passes a right and b down. After k = cols(A) steps, cell (i, j) holds C[i][j].
 */
import { chan, type Channel } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { par, process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';

export type Matrix = readonly (readonly number[])[];

interface Entry {
  readonly i: number;
  readonly j: number;
  readonly value: number;
}

export const feed = process('feed', async (values: readonly number[], out: Writer<number>) => {
  for (const v of values) await out.write(v);
});

export const cell = process(
  'cell',
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

export const gather = process('gather', async (from: Reader<Entry>, into: number[][]) => {
  for await (const e of from) (into[e.i] as number[])[e.j] = e.value;
});

/** A × B for an n×k A and a k×m B (k >= 1), on an n×m grid of processes. */
export async function systolicMultiply(a: Matrix, b: Matrix): Promise<number[][]> {
  const n = a.length;
  const k = b.length;
  const m = k === 0 ? 0 : (b[0] as readonly number[]).length;
  if (a.some((row) => row.length !== k)) throw new RangeError('systolicMultiply: A must be n×k and B k×m');
  // h[i][j] feeds cell (i, j) from its left; v[i][j] feeds it from above.
  const h: Channel<number>[][] = [];
  const v: Channel<number>[][] = [];
  for (let i = 0; i < n; i++) {
    h.push([]);
    v.push([]);
    for (let j = 0; j < m; j++) {
      h[i]!.push(chan<number>({ name: `h${i}.${j}` }));
      v[i]!.push(chan<number>({ name: `v${i}.${j}` }));
    }
  }
  const out = chan<Entry>({ name: 'entries' });
  const c = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  const processes = [];
  for (let i = 0; i < n; i++) if (m > 0) processes.push(feed(a[i] as readonly number[], h[i]![0]!.writer()));
  for (let j = 0; j < m; j++) if (n > 0) processes.push(feed(b.map((row) => row[j] as number), v[0]![j]!.writer()));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const right = j + 1 < m ? h[i]![j + 1]!.writer() : null;
      const down = i + 1 < n ? v[i + 1]![j]!.writer() : null;
      processes.push(cell([i, j] as const, k, h[i]![j]!.reader(), v[i]![j]!.reader(), right, down, out.writer()));
    }
  }
  await par(processes, gather(out.reader(), c));
  return c;
}

/** The sequential reference. */
/** The same grid as a declared network for `cspflow/threads`: feeds and cells in workers, `gather` fills `into` (n×m, zeroed) on main. */
export function systolicNetwork(a: Matrix, b: Matrix, into: number[][]): Network {
  const n = a.length;
  const k = b.length;
  const m = k === 0 ? 0 : (b[0] as readonly number[]).length;
  return network((net) => {
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
    net.spawn(gather(out.reader(), into), { place: 'main' });
  });
}

export function multiplyReference(a: Matrix, b: Matrix): number[][] {
  const k = b.length;
  const m = k === 0 ? 0 : (b[0] as readonly number[]).length;
  return a.map((row) => Array.from({ length: m }, (_, j) => row.reduce((s, x, t) => s + x * ((b[t] as readonly number[])[j] as number), 0)));
}
