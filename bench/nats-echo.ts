/** A raw nats.js responder in its own process, for bench/nats.ts's request/reply baseline. */
import { connectBus } from '../src/transports/nats/nats-client.js';

const url = globalThis.process.argv[2] as string;
const bus = await connectBus({ servers: url });
bus.subscribe('raw.echo', (m) => {
  if (m.reply !== undefined) bus.publish(m.reply, m.data);
});
await bus.flush();
globalThis.process.stdout.write('ready\n');
globalThis.process.on('SIGTERM', () => void bus.close().then(() => globalThis.process.exit(0)));
