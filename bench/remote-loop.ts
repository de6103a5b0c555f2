/**
 * The remote layer's own cost, without thread scheduling: two stations in ONE thread joined by a
 * MessageChannel (the thread transport's wire), beside a raw MessageChannel ping-pong in the same
 * thread. Measures process CPU time per rendezvous round trip (a proxy writer and a proxy reader,
 * both channels homed on the other station: four operations cross) and per value of a batched
 * stream through a proxy writer. Interleaved repetitions, medians printed.
 *
 *   npx tsx --conditions=cspflow-source bench/remote-loop.ts [--reps=5]
 */
import { MessageChannel } from 'node:worker_threads';
import { msgpackCodec } from '../src/codec/msgpack.js';
import { Station } from '../src/remote/station.js';
import { PortWire } from '../src/transports/threads/node-threads.js';
import { median } from './stats.js';
import { eachBatch } from './each-batch.js';

const args = process.argv.slice(2);
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? 5);
const ROUND_TRIPS = 20_000;
const BATCH = 1024;
const VALUES = 1953 * BATCH;

function cpuSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return c.user + c.system;
}

/** Raw MessageChannel ping-pong in one thread: µs CPU per round trip. */
async function rawPingPong(): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (m: number) => port2.postMessage(m));
  let i = 0;
  let c0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    port1.on('message', () => {
      if (++i === 500) c0 = process.cpuUsage();
      if (i === ROUND_TRIPS + 500) resolve();
      else port1.postMessage(i);
    });
    port1.postMessage(0);
  });
  const us = cpuSince(c0) / ROUND_TRIPS;
  port1.close();
  port2.close();
  return us;
}

/** Two stations over a MessageChannel; `b` holds proxies of channels living on `a`. */
function stations() {
  const { port1, port2 } = new MessageChannel();
  const a = new Station({ id: 'a' });
  const b = new Station({ id: 'b' });
  a.connect(new PortWire(port1), { peer: 'b' });
  const toA = b.connect(new PortWire(port2), { peer: 'a' });
  return { toA, close: () => (port1.close(), port2.close()) };
}

/** A rendezvous round trip where every operation crosses: µs CPU per round trip. */
async function oursRoundTrip(): Promise<number> {
  const { toA, close } = stations();
  const pings = toA.channel<number>({ name: 'pings', codec: msgpackCodec() });
  const pongs = toA.channel<number>({ name: 'pongs', codec: msgpackCodec() });
  const [pr, pw, w, r] = [pings.reader(), pongs.writer(), pings.writer(), pongs.reader()];
  const ponger = (async () => {
    for (let i = 0; i < ROUND_TRIPS + 500; i++) await pw.write(await pr.read());
  })();
  for (let i = 0; i < 500; i++) {
    await w.write(i);
    await r.read();
  }
  const c0 = process.cpuUsage();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    await w.write(i);
    await r.read();
  }
  const us = cpuSince(c0) / ROUND_TRIPS;
  await ponger;
  close();
  return us;
}

/** A batched stream through a proxy writer into a fixed(65536) channel read by a proxy: ns CPU per value. */
async function oursStream(): Promise<number> {
  const { toA, close } = stations();
  const channel = toA.channel<number>({ name: 'stream', buffer: 1 << 16, codec: msgpackCodec() });
  const w = channel.writer();
  const r = channel.reader();
  const c0 = process.cpuUsage();
  const writing = (async () => {
    const batch = new Array<number>(BATCH);
    for (let i = 0; i < VALUES; i += BATCH) {
      for (let j = 0; j < BATCH; j++) batch[j] = (i + j) & 1023;
      await w.writeMany(batch);
    }
    w.retire();
  })();
  let count = 0;
  await eachBatch(r, (values) => {
    count += values.length;
  });
  await writing;
  if (count !== VALUES) throw new Error(`stream: read ${count} values, wrote ${VALUES}`);
  const ns = (cpuSince(c0) * 1000) / VALUES;
  close();
  return ns;
}

const cases = [
  { name: 'raw MessageChannel ping-pong', unit: 'µs CPU/round trip', run: rawPingPong },
  { name: 'cspflow round trip, 4 operations crossing', unit: 'µs CPU/round trip', run: oursRoundTrip },
  { name: 'cspflow stream through a proxy, writeMany 1024', unit: 'ns CPU/value', run: oursStream },
];
const samples = cases.map(() => [] as number[]);
for (let rep = -1; rep < reps; rep++) {
  for (const [k, c] of cases.entries()) {
    const x = await c.run();
    if (rep >= 0) (samples[k] as number[]).push(x);
  }
}
console.log(`Node ${process.version}; median of ${reps} interleaved repetitions after a warm-up; one thread, so thread scheduling is left out.`);
console.log('| case | median | min–max |');
console.log('|---|--:|--:|');
for (const [k, c] of cases.entries()) {
  const xs = samples[k] as number[];
  console.log(`| ${c.name} | ${median(xs).toFixed(1)} ${c.unit} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} |`);
}
