/**
 * The CSP prime sieve (Hoare; McIlroy): a generator feeds 2..limit into a pipeline that grows
 * one filter process per prime found. Each filter passes on its first number (a prime) and
 * strains its multiples from the rest; the next filter is started behind it, in the same thread.
 */
import { chan } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { par, process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkInteger } from './check.js';

export const generate = process('kit.sieve.generate', async (out: Writer<number>, limit: number) => {
  for (let n = 2; n <= limit; n++) await out.write(n);
});

export const strain = process('kit.sieve.strain', async (prime: number, from: Reader<number>, to: Writer<number>) => {
  for await (const n of from) if (n % prime !== 0) await to.write(n);
});

export const filter = process('kit.sieve.filter', async (from: Reader<number>, primes: Writer<number>): Promise<void> => {
  let prime: number;
  try {
    prime = await from.read();
  } catch (error) {
    if (error instanceof RetiredError) return;
    throw error;
  }
  await primes.write(prime);
  const next = chan<number>({ name: `after-${prime}` });
  await par(strain(prime, from, next.writer()), filter(next.reader(), primes));
});

export const collect = process('kit.sieve.collect', async (from: Reader<number>, into: number[]) => {
  for await (const p of from) into.push(p);
});

/** The processes of the sieve, under their stable names (what a worker registers). */
export const primeSieveProcesses = { generate, strain, filter, collect };

/**
 * The sieve up to `limit` as a network: the generator and the growing filter chain may run in
 * workers; `collect`, on main, appends each prime to `into` as it is found.
 */
export function primeSieveNetwork(limit: number, into: number[]): Network {
  checkInteger('primeSieveNetwork', 'limit', limit, 0);
  checkArray('primeSieveNetwork', 'into', into);
  return network((net) => {
    const numbers = net.channel<number>('numbers');
    const primes = net.channel<number>('primes');
    net.spawn(generate(numbers.writer(), limit));
    net.spawn(filter(numbers.reader(), primes.writer()));
    net.spawn(collect(primes.reader(), into), { place: 'main' });
  });
}

/** The primes up to `limit`: `primeSieveNetwork` run in this thread. */
export async function primeSieve(limit: number): Promise<number[]> {
  const found: number[] = [];
  await run(primeSieveNetwork(limit, found), { runtime: local() });
  return found;
}

/** The sequential reference: trial division. */
export function primesUpTo(limit: number): number[] {
  const out: number[] = [];
  for (let n = 2; n <= limit; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
}
