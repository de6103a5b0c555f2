/**
 * 17 — a long run with live progress: a network module for `cspflow run`. Its default export makes
 * the network from the command line's arguments (how many numbers to test); `cspflow run` shows,
 * while it runs, the items and rate of each stage and the depth of each channel — redrawn in place
 * on a terminal, one line per second otherwise, JSON lines with --json.
 *
 * Run (from a checkout):
 *   npx tsx --conditions=cspflow-source src/cli/main.ts run examples/17-long-run.ts -- 3000000
 *   npx tsx --conditions=cspflow-source src/cli/main.ts run examples/17-long-run.ts --runtime threads -- 3000000
 * Installed: npx cspflow run 17-long-run.js -- 3000000 (the threads runtime's workers load this same module)
 */
import { network, process, type Reader, type Writer } from 'cspflow';

export const candidates = process('candidates', async (n: number, out: Writer<number>) => {
  for (let i = 2; i <= n; i++) await out.write(i);
});

function isPrime(x: number): boolean {
  for (let d = 2; d * d <= x; d++) if (x % d === 0) return false;
  return true;
}

export const sieve = process('is-prime', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) if (isPrime(x)) await out.write(x);
});

export const count = process('count', async (input: Reader<number>, n: number) => {
  let found = 0;
  for await (const _ of input) found++;
  console.log(`${found} primes up to ${n}`);
});

export default function primes(args: readonly string[] = []) {
  const n = Number(args[0] ?? 1_000_000);
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`17-long-run: the argument must be an integer >= 2 (how many numbers to test), got ${args[0]}`);
  return network((net) => {
    const numbers = net.channel<number>('numbers', { buffer: 256 });
    // Kept on main so its depth and the count stage's items show while it runs: left to the
    // placement, it would live with its reader in a worker, where main does not count it.
    const found = net.channel<number>('primes', { buffer: 256, home: 'main' });
    net.spawn(candidates(n, numbers.writer()));
    net.spawn(sieve(numbers.reader(), found.writer()), { replicas: 2 });
    net.spawn(count(found.reader(), n));
  });
}
