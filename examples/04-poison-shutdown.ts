/**
 * Shutting a network down with poison: a monitor poisons the channel it watches once it has
 * seen enough; the poison spreads through every process's ends and the whole network stops.
 * A real error would spread the same way, and par would reject with it.
 *
 * Run: npx tsx --conditions=cspflow-source examples/04-poison-shutdown.ts
 */
import { chan, par, process, type Reader, type Writer } from 'cspflow';

const ticker = process('ticker', async (out: Writer<number>) => {
  for (let i = 0; ; i++) await out.write(i);
});

const doubler = process('doubler', async (input: Reader<number>, out: Writer<number>) => {
  for await (const x of input) await out.write(2 * x);
});

const monitor = process('monitor', async (input: Reader<number>, limit: number) => {
  for await (const x of input) {
    if (x >= limit) {
      console.log(`monitor saw ${x}: poisoning`);
      input.poison('limit reached');
    }
  }
});

const ticks = chan<number>({ name: 'ticks' });
const doubled = chan<number>({ name: 'doubled' });
await par(ticker(ticks.writer()), doubler(ticks.reader(), doubled.writer()), monitor(doubled.reader(), 10));
console.log('network shut down');
