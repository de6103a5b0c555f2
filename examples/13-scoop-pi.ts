/**
 * SCOOP's π: Monte Carlo over a pool — `futures.map(hits, tasks)` and a sum. 100 tasks of 20,000
 * points each, mapped over two worker threads.
 *
 * Run: npx tsx --conditions=cspflow-source examples/13-scoop-pi.ts
 */
import { futures } from 'cspflow/futures';
import { threads } from 'cspflow/threads';
import { hits } from './13-pi-task.js';

const TASKS = 100;
const SAMPLES = 20_000;

await using pool = futures({ runtime: threads({ size: 2, modules: [new URL('./13-pi-task.ts', import.meta.url)] }), tasks: [hits] });
const counts = await pool.map(
  hits,
  Array.from({ length: TASKS }, (_, seed) => ({ seed, samples: SAMPLES })),
);
const inside = counts.reduce((a, b) => a + b, 0);
console.log(`${inside} of ${TASKS * SAMPLES} points inside: π ≈ ${((4 * inside) / (TASKS * SAMPLES)).toFixed(4)}`);
