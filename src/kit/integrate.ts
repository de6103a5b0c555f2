/**
 * Numeric integration as a farm: [a, b] is cut into `chunks` equal pieces; a worker integrates a
 * piece with the midpoint rule over `steps` steps; the pieces are added in order. Adding in piece
 * order (not arrival order) makes the floating-point result identical to the sequential reference.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';
import { farm } from './farm.js';

export interface IntegrateOptions {
  readonly chunks: number;
  readonly steps: number;
  readonly workers: number;
}

interface Piece {
  readonly from: number;
  readonly to: number;
  readonly steps: number;
}

function pieces(a: number, b: number, options: IntegrateOptions): Piece[] {
  const width = (b - a) / options.chunks;
  return Array.from({ length: options.chunks }, (_, c) => ({ from: a + c * width, to: a + (c + 1) * width, steps: options.steps }));
}

function midpoint(f: (x: number) => number, p: Piece): number {
  const h = (p.to - p.from) / p.steps;
  let sum = 0;
  for (let s = 0; s < p.steps; s++) sum += f(p.from + (s + 0.5) * h);
  return sum * h;
}

/** ∫ f over [a, b] on a farm of worker processes. */
export async function integrate(f: (x: number) => number, a: number, b: number, options: IntegrateOptions): Promise<number> {
  const { results } = await farm(pieces(a, b, options), (p) => midpoint(f, p), options.workers);
  return results.reduce((s, x) => s + x, 0);
}

/** The sequential reference: the same pieces, added in the same order. */
export function integrateReference(f: (x: number) => number, a: number, b: number, options: IntegrateOptions): number {
  return pieces(a, b, options).reduce((s, p) => s + midpoint(f, p), 0);
}

/** Integrands known by name: a function never crosses a thread, a name does. */
export const integrands = {
  square: (x: number): number => x * x,
  sine: Math.sin,
  bell: (x: number): number => Math.exp(-x * x),
  reciprocal: (x: number): number => 1 / (1 + x * x),
} as const;

export type IntegrandName = keyof typeof integrands;

interface IndexedPiece extends Piece {
  readonly index: number;
}

export const integrateFeed = process('integrate.feed', async (todo: readonly IndexedPiece[], out: Writer<IndexedPiece>) => {
  for (const p of todo) await out.write(p);
});

export const integrateWorker = process('integrate.worker', async (f: IntegrandName, from: Reader<IndexedPiece>, to: Writer<readonly [number, number]>) => {
  for await (const p of from) await to.write([p.index, midpoint(integrands[f], p)]);
});

export const integrateCollect = process('integrate.collect', async (from: Reader<readonly [number, number]>, into: number[]) => {
  for await (const [index, value] of from) into[index] = value;
});

/**
 * ∫ integrands[f] over [a, b] as a declared network for `cspflow/threads`: `options.workers`
 * worker replicas; the piece integrals land in `into` by index (sum them in order for the result).
 */
export function integrateNetwork(f: IntegrandName, a: number, b: number, options: IntegrateOptions, into: number[]): Network {
  return network((net) => {
    const todo = net.channel<IndexedPiece>('integrate.pieces', { buffer: 16 });
    const done = net.channel<readonly [number, number]>('integrate.results', { buffer: 16 });
    net.spawn(integrateFeed(pieces(a, b, options).map((p, index) => ({ ...p, index })), todo.writer()));
    net.spawn(integrateWorker(f, todo.reader(), done.writer()), { replicas: options.workers });
    net.spawn(integrateCollect(done.reader(), into), { place: 'main' });
  });
}
