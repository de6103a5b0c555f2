/**
 * 21 — Celery's workflow across machines: the tasks of examples 12 and 15, unchanged, run on
 * `cspflow worker` processes joined to a NATS server; this program submits, maps and gathers
 * exactly as it does on threads. Only the runtime differs. Without `workers`, the pool asks once,
 * as it starts, how many NATS workers answer, and runs one farm worker per task on each.
 *
 * Start a server and two workers (on this machine or any that reaches the server), then run this:
 *   nats-server -p 4222 &
 *   npx cspflow worker --nats nats://127.0.0.1:4222 --module examples/12-celery-tasks.ts examples/15-fib-task.ts &
 *   npx cspflow worker --nats nats://127.0.0.1:4222 --module examples/12-celery-tasks.ts examples/15-fib-task.ts &
 *   NATS_URL=nats://127.0.0.1:4222 npx tsx --conditions=cspflow-source examples/21-futures-on-nats.ts
 * and, while it runs, `npx cspflow inspect --nats nats://127.0.0.1:4222` lists the workers and the pool's channels.
 */
import { futures, gather } from 'cspflow/futures';
import { nats } from 'cspflow/nats';
import { add, mul } from './12-celery-tasks.js';
import { fib } from './15-fib-task.js';

const servers = globalThis.process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
await using pool = futures({ runtime: nats({ servers }), tasks: [add, mul, fib] });

console.log(`add(4, 4) = ${await pool.submit(add, 4, 4)}`);
const sums = await gather(Array.from({ length: 10 }, (_, i) => pool.submit(add, i, i)));
console.log(`add(i, i) for i < 10 = ${sums.join(' ')}`);
console.log(`mul(add(2, 3), 10) = ${await pool.submit(mul, await pool.submit(add, 2, 3), 10)}`);
console.log(`fib over 10..15 = ${(await pool.map(fib, [10, 11, 12, 13, 14, 15])).join(' ')}`);
console.log(`fib(15), nested futures on NATS = ${await pool.submit(fib, 15)}`);
