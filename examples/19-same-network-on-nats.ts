/**
 * The network of example 06, unchanged, on NATS: its processes run on `cspflow worker` processes
 * (on this machine or any other that reaches the server); `sum` stays here, on main.
 *
 * Start a server and a worker first, then run this:
 *   nats-server -p 4222 &
 *   npx cspflow worker --nats nats://127.0.0.1:4222 --module examples/06-network.ts &
 *   NATS_URL=nats://127.0.0.1:4222 npx tsx --conditions=cspflow-source examples/19-same-network-on-nats.ts
 */
import { run } from 'cspflow';
import { nats } from 'cspflow/nats';
import { sumOfSquares } from './06-network.js';

const servers = globalThis.process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

await run(
  sumOfSquares(1000, (total, count) => console.log(`nats: sum of squares 1..1000 = ${total} (${count} values)`)),
  { runtime: nats({ servers }) },
);
