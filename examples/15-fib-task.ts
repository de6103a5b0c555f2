/**
 * The task of example 15: Fibonacci, each call submitting its two subproblems to the pool and
 * waiting for them — SCOOP's recursive example. While it waits, its worker runs other tasks.
 */
import { task } from 'cspflow/futures';

export const fib = task('scoop.fib', async function (n: number): Promise<number> {
  if (n < 2) return n;
  const [a, b] = await Promise.all([this.submit(fib, n - 1), this.submit(fib, n - 2)]);
  return a + b;
});
