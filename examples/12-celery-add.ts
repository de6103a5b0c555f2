/**
 * Celery's first steps: a task defined in a module (12-celery-tasks.ts), workers that load it,
 * calls that return futures, results gathered. Here the workers are two threads; the calls are
 * the same on any runtime.
 *
 * Run: npx tsx --conditions=cspflow-source examples/12-celery-add.ts
 */
import { futures, gather } from 'cspflow/futures';
import { threads } from 'cspflow/threads';
import { add, mul } from './12-celery-tasks.js';

const runtime = threads({ size: 2, modules: [new URL('./12-celery-tasks.ts', import.meta.url)] });
await using pool = futures({ runtime, tasks: [add, mul] });

// add.delay(4, 4).get() — a future, then its result.
console.log(`add(4, 4) = ${await pool.submit(add, 4, 4)}`);

// group(add.s(i, i) for i in range(10))() — every call in flight at once, results in order.
const sums = await gather(Array.from({ length: 10 }, (_, i) => pool.submit(add, i, i)));
console.log(`add(i, i) for i < 10 = ${sums.join(' ')}`);

// chain: mul(add(2, 3), 10)
console.log(`mul(add(2, 3), 10) = ${await pool.submit(mul, await pool.submit(add, 2, 3), 10)}`);
