/**
 * The CSP prime sieve: a generator feeds a growing pipeline of filter processes, one per prime
 * found. When enough primes are printed the sieve poisons its input, and the poison runs back up
 * the pipeline and shuts every filter and the generator down.
 *
 * Run: npx tsx --conditions=cspflow-source examples/05-prime-sieve.ts [count]
 */
import { chan, par, process, spawn, type Reader, type Writer } from 'cspflow';

const generate = process('generate', async (out: Writer<number>) => {
  for (let n = 2; ; n++) await out.write(n);
});

const filter = process('filter', async (prime: number, input: Reader<number>, out: Writer<number>) => {
  for await (const n of input) if (n % prime !== 0) await out.write(n);
});

const sieve = process('sieve', async (count: number, numbers: Reader<number>, primes: Writer<number>) => {
  let input = numbers;
  for (let i = 0; i < count; i++) {
    const prime = await input.read();
    await primes.write(prime);
    const next = chan<number>({ name: `after-${prime}` });
    void spawn(filter(prime, input, next.writer()));
    input = next.reader();
  }
  input.poison('enough primes');
});

const collect = process('collect', async (primes: Reader<number>, into: number[]) => {
  for await (const p of primes) into.push(p);
});

const count = Number(globalThis.process.argv[2] ?? 25);
const numbers = chan<number>({ name: 'numbers' });
const primes = chan<number>({ name: 'primes' });
const found: number[] = [];
await par(generate(numbers.writer()), sieve(count, numbers.reader(), primes.writer()), collect(primes.reader(), found));
console.log(`first ${count} primes: ${found.join(' ')}`);
