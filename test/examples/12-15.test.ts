import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('examples 12–15 (futures) run and print what they promise', () => {
  it("12 Celery's add task on a thread pool", async () => {
    expect(await runExample('12-celery-add.ts')).toBe('add(4, 4) = 8\nadd(i, i) for i < 10 = 0 2 4 6 8 10 12 14 16 18\nmul(add(2, 3), 10) = 50\n');
  });

  it("13 SCOOP's π: the same count whichever worker ran which task", async () => {
    expect(await runExample('13-scoop-pi.ts')).toBe('1570129 of 2000000 points inside: π ≈ 3.1403\n');
  });

  it("14 SCOOP's map-reduce word count", async () => {
    expect(await runExample('14-scoop-map-reduce.ts')).toBe('the 6, dog 3, fox 3, quick 3\n');
  });

  it('15 nested futures: recursive Fibonacci on two workers', async () => {
    expect(await runExample('15-nested-fibonacci.ts')).toBe('fib(10) = 55\nfib(15) = 610\nfib(17) = 1597\n');
  });
});
