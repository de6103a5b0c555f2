/**
 * 16 — a picture of a network: toMermaid draws the network of example 06 (processes as nodes with
 * their placement and replicas, channels as edges with name, buffer kind and capacity); after an
 * observed run, the live variant adds each stage's state and items and each channel's depth.
 * Paste either into a ```mermaid block (GitHub renders it); toDot gives Graphviz instead.
 *
 * Run: npx tsx --conditions=cspflow-source examples/16-network-picture.ts
 *  or: npx cspflow graph <module> --format mermaid|dot|json (for a network module)
 */
import { start, toMermaid } from 'cspflow';
import { sumOfSquares } from './06-network.js';

const net = sumOfSquares(100, () => {});
console.log(toMermaid(net));

const handle = start(net, { observe: true });
await handle.done;
console.log(`\n${toMermaid(net, { snapshot: handle.snapshot() })}`);
