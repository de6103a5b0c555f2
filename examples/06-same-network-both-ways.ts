/**
 * One network, two runtimes: the same declaration runs in this thread (local) and across two
 * worker threads (threads), and prints the same result. Switching is one option.
 *
 * Run: npx tsx --conditions=cspflow-source examples/06-same-network-both-ways.ts
 */
import { local, run } from 'cspflow';
import { threads } from 'cspflow/threads';
import { sumOfSquares } from './06-network.js';

const N = 1000;
const runtimes = {
  local: local(),
  // Workers load the network's module and run its processes by name.
  threads: threads({ size: 2, modules: [new URL('./06-network.ts', import.meta.url)] }),
};

for (const [name, runtime] of Object.entries(runtimes)) {
  await run(
    sumOfSquares(N, (total, count) => console.log(`${name}: sum of squares 1..${N} = ${total} (${count} values)`)),
    { runtime },
  );
}
