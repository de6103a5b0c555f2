/**
 * Ping-pong over two rendezvous channels: each write completes only when the other side reads.
 *
 * Run: npx tsx --conditions=cspflow-source examples/01-ping-pong.ts
 */
import { chan, par, process, type Reader, type Writer } from 'cspflow';

const pinger = process('pinger', async (rounds: number, out: Writer<string>, back: Reader<string>) => {
  for (let i = 1; i <= rounds; i++) {
    await out.write(`ping ${i}`);
    console.log(await back.read());
  }
});

const ponger = process('ponger', async (input: Reader<string>, out: Writer<string>) => {
  for await (const ping of input) await out.write(ping.replace('ping', 'pong'));
});

const pings = chan<string>({ name: 'pings' });
const pongs = chan<string>({ name: 'pongs' });
await par(pinger(3, pings.writer(), pongs.reader()), ponger(pings.reader(), pongs.writer()));
console.log('done');
