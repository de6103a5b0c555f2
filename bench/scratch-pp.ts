import { network, process as proc, run, type Reader, type Writer } from '../src/index.js';
import { nats, startNatsWorker } from '../src/nats/index.js';
import { realScheduler } from '../src/core/scheduler.js';
import { startNatsServer } from '../src/testing/nats-server.js';
import { ponger } from './nats-procs.js';
import { connectBus } from '../src/transports/nats/nats-client.js';
const server = await startNatsServer();
const worker = await startNatsWorker({ servers: server.url, modules: [new URL('./nats-procs.ts', import.meta.url).href], id: 'pp', prefix: 'pp', timers: realScheduler });
// count all messages on the server via a wildcard sub
const spy = await connectBus({ servers: server.url });
let msgs = 0; let bytes = 0;
spy.subscribe('pp.>', (m) => { msgs++; bytes += m.data.length; });
await spy.flush();
for (const home of ['main', 'reader'] as const) {
  const n = 2000;
  let ms = 0;
  const pinger = proc('pinger', async (pings: Writer<number>, pongs: Reader<number>) => {
    await pings.write(0); await pongs.read();
    const m0 = msgs; const t0 = performance.now();
    for (let i = 0; i < n; i++) { await pings.write(i); await pongs.read(); }
    ms = performance.now() - t0;
    console.log(home, 'µs/rt', ((ms * 1000) / n).toFixed(0), 'msgs/rt', ((msgs - m0) / n).toFixed(2));
  });
  const net = network((net) => {
    const pings = net.channel<number>('pings', { home });
    const pongs = net.channel<number>('pongs');
    net.spawn(ponger(pings.reader(), pongs.writer()));
    net.spawn(pinger(pings.writer(), pongs.reader()), { place: 'main' });
  });
  await run(net, { runtime: nats({ servers: server.url, prefix: 'pp', discoverMs: 200 }) });
}
// raw
const a = await connectBus({ servers: server.url }), b = await connectBus({ servers: server.url });
b.subscribe('echo', (m) => m.reply && b.publish(m.reply, m.data)); await b.flush();
let t0 = performance.now(); for (let i = 0; i < 2000; i++) await a.request('echo', new Uint8Array(8), 1000);
console.log('raw req/rep µs', ((performance.now() - t0) * 1000 / 2000).toFixed(0));
await worker.stop(100); await spy.close(); await a.close(); await b.close(); await server.dispose();
