/**
 * The CSP prime sieve (Hoare; McIlroy): a generator feeds 2..limit into a pipeline that grows
 * one filter process per prime found. Each filter passes on its first number (a prime) and
 * strains its multiples from the rest; the next filter is started behind it.
 */
import { chan } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { par, process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';

export const generate = process('generate', async (out: Writer<number>, limit: number) => {
  for (let n = 2; n <= limit; n++) await out.write(n);
});

export const strain = process('strain', async (prime: number, from: Reader<number>, to: Writer<number>) => {
  for await (const n of from) if (n % prime !== 0) await to.write(n);
});

export const filter = process('filter', async (from: Reader<number>, primes: Writer<number>): Promise<void> => {
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

export const collect = process('collect', async (from: Reader<number>, into: number[]) => {
  for await (const p of from) into.push(p);
});

/** The primes up to `limit`, found by a pipeline of filter processes. */
export async function primeSieve(limit: number): Promise<number[]> {
  const numbers = chan<number>({ name: 'numbers' });
  const primes = chan<number>({ name: 'primes' });
  const found: number[] = [];
  await par(generate(numbers.writer(), limit), filter(numbers.reader(), primes.writer()), collect(primes.reader(), found));
  return found;
}

/** The sequential reference: trial division. */
/** The same sieve as a declared network for `cspflow/threads`: the generator and the growing filter chain run in workers; `collect` fills `into` on main. */
export function primeSieveNetwork(limit: number, into: number[]): Network {
  return network((net) => {
    const numbers = net.channel<number>('numbers');
    const primes = net.channel<number>('primes');
    net.spawn(generate(numbers.writer(), limit));
    net.spawn(filter(numbers.reader(), primes.writer()));
    net.spawn(collect(primes.reader(), into), { place: 'main' });
  });
}

export function primesUpTo(limit: number): number[] {
  const out: number[] = [];
  for (let n = 2; n <= limit; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
}
