/**
 * Numeric integration as a farm: [a, b] is cut into `chunks` equal pieces; a worker integrates a
 * piece with the midpoint rule over `steps` steps; the pieces are added in order. Adding in piece
 * order (not arrival order) makes the floating-point result identical to the sequential reference.
 *
 * The integrand is a function or the name of one of `integrands`. A function cannot cross a
 * thread, a name can: on a runtime with worker threads, give a name.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkFinite, checkInteger, show } from './check.js';

export interface IntegrateOptions {
  readonly chunks: number;
  readonly steps: number;
  readonly workers: number;
}

/** Integrands known by name, so that a worker thread can find one. */
export const integrands = {
  square: (x: number): number => x * x,
  sine: Math.sin,
  bell: (x: number): number => Math.exp(-x * x),
  reciprocal: (x: number): number => 1 / (1 + x * x),
} as const;

export type IntegrandName = keyof typeof integrands;

/** What to integrate: a function (in one thread only) or the name of a known integrand. */
export type Integrand = IntegrandName | ((x: number) => number);

interface Piece {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly steps: number;
}

function pieces(a: number, b: number, options: IntegrateOptions): Piece[] {
  const width = (b - a) / options.chunks;
  return Array.from({ length: options.chunks }, (_, index) => ({ index, from: a + index * width, to: a + (index + 1) * width, steps: options.steps }));
}

function resolve(f: Integrand): (x: number) => number {
  return typeof f === 'function' ? f : integrands[f];
}

function midpoint(f: (x: number) => number, p: Piece): number {
  const h = (p.to - p.from) / p.steps;
  let sum = 0;
  for (let s = 0; s < p.steps; s++) sum += f(p.from + (s + 0.5) * h);
  return sum * h;
}

function checkArgs(where: string, f: Integrand, a: number, b: number, options: IntegrateOptions): void {
  if (typeof f !== 'function' && !(typeof f === 'string' && Object.hasOwn(integrands, f))) {
    throw new TypeError(`${where}: f must be a function or one of ${Object.keys(integrands).map((k) => `"${k}"`).join(', ')}, got ${show(f)}`);
  }
  checkFinite(where, 'a', a);
  checkFinite(where, 'b', b);
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options must be an object { chunks, steps, workers }`);
  checkInteger(where, 'options.chunks', options.chunks, 1);
  checkInteger(where, 'options.steps', options.steps, 1);
  checkInteger(where, 'options.workers', options.workers, 1);
}

export const feed = process('kit.integrate.feed', async (todo: readonly Piece[], out: Writer<Piece>) => {
  for (const p of todo) await out.write(p);
});

export const work = process('kit.integrate.worker', async (f: Integrand, from: Reader<Piece>, to: Writer<readonly [number, number]>) => {
  const fn = resolve(f);
  for await (const p of from) await to.write([p.index, midpoint(fn, p)]);
});

export const collect = process('kit.integrate.collect', async (from: Reader<readonly [number, number]>, into: number[]) => {
  for await (const [index, value] of from) into[index] = value;
});

/** The processes of the farm, under their stable names (what a worker registers). */
export const integrateProcesses = { feed, work, collect };

/**
 * ∫ f over [a, b] as a network: a feed and `options.workers` worker replicas that may run in
 * worker threads (give `f` by name there); `collect`, on main, puts piece i's integral at
 * `into[i]`. Sum `into` in index order for the result.
 */
export function integrateNetwork(f: Integrand, a: number, b: number, options: IntegrateOptions, into: number[]): Network {
  checkArgs('integrateNetwork', f, a, b, options);
  checkArray('integrateNetwork', 'into', into);
  return network((net) => {
    const todo = net.channel<Piece>('integrate.pieces', { buffer: 16 });
    const done = net.channel<readonly [number, number]>('integrate.results', { buffer: 16 });
    net.spawn(feed(pieces(a, b, options), todo.writer()));
    net.spawn(work(f, todo.reader(), done.writer()), { replicas: options.workers });
    net.spawn(collect(done.reader(), into), { place: 'main' });
  });
}

/** ∫ f over [a, b] on a farm of worker processes: `integrateNetwork` run in this thread. */
export async function integrate(f: Integrand, a: number, b: number, options: IntegrateOptions): Promise<number> {
  const parts: number[] = [];
  await run(integrateNetwork(f, a, b, options, parts), { runtime: local() });
  return parts.reduce((s, x) => s + x, 0);
}

/** The sequential reference: the same pieces, added in the same order. */
export function integrateReference(f: Integrand, a: number, b: number, options: IntegrateOptions): number {
  checkArgs('integrateReference', f, a, b, options);
  const fn = resolve(f);
  return pieces(a, b, options).reduce((s, p) => s + midpoint(fn, p), 0);
}
