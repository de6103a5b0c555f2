/**
 * Nested futures: fib(n) submits fib(n - 1) and fib(n - 2) to the same pool and awaits them —
 * thousands of tasks waiting on tasks, on two workers, without deadlock.
 *
 * Run: npx tsx --conditions=cspflow-source examples/15-nested-fibonacci.ts
 */
import { futures } from 'cspflow/futures';
import { threads } from 'cspflow/threads';
import { fib } from './15-fib-task.js';

await using pool = futures({ runtime: threads({ size: 2, modules: [new URL('./15-fib-task.ts', import.meta.url)] }), tasks: [fib] });
for (const n of [10, 15, 17]) console.log(`fib(${n}) = ${await pool.submit(fib, n)}`);
