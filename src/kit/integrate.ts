/**
 * Numeric integration as a farm: [a, b] is cut into `chunks` equal pieces; a worker integrates a
 * piece with the midpoint rule over `steps` steps; the pieces are added in order. Adding in piece
 * order (not arrival order) makes the floating-point result identical to the sequential reference.
 */
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
