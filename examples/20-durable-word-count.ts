/**
 * A durable word-count farm that survives `kill -9` of a worker. Lines go into a durable channel
 * (a JetStream stream), two `countLines` processes on `cspflow worker` processes count the words
 * of each line and write the counts into a second durable channel, and `tally` on main adds them
 * up. Kill a worker in the middle: the line it held comes back to the other worker after the ack
 * wait, the counts it had already written are not stored twice, and the totals are exact.
 *
 * Start a JetStream server and two workers first, then run this:
 *   nats-server -js -p 4222 &
 *   npx cspflow worker --nats nats://127.0.0.1:4222 --module examples/20-durable-word-count.ts --name w1 &
 *   npx cspflow worker --nats nats://127.0.0.1:4222 --module examples/20-durable-word-count.ts --name w2 &
 *   NATS_URL=nats://127.0.0.1:4222 npx tsx --conditions=cspflow-source examples/20-durable-word-count.ts
 * and `kill -9` one worker while it runs (the example says on stderr when a third is counted).
 */
import { pathToFileURL } from 'node:url';
import { network, process, run, type Reader, type Writer } from 'cspflow';
import { nats } from 'cspflow/nats';

type Counts = Record<string, number>;

const VOCABULARY = ['csp', 'channel', 'process', 'alt', 'poison', 'retire', 'durable', 'stream', 'worker', 'nats', 'value', 'once'];

/** The text: `n` lines drawn from a small vocabulary by a fixed linear congruential generator. */
export function lines(n: number): string[] {
  let seed = 20;
  const next = (): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
  return Array.from({ length: n }, () => Array.from({ length: 1 + (next() % 12) }, () => VOCABULARY[next() % VOCABULARY.length]).join(' '));
}

/** Adds the words of `text` into `into`. */
export function countInto(into: Counts, text: string): Counts {
  for (const word of text.split(' ')) into[word] = (into[word] ?? 0) + 1;
  return into;
}

/** Runs on the workers: the word counts of each line it takes. */
export const countLines = process('count-lines', async (input: Reader<string>, out: Writer<Counts>) => {
  for await (const line of input) await out.write(countInto({}, line));
});

const feed = process('feed', async (text: readonly string[], out: Writer<string>) => {
  for (const line of text) await out.write(line);
});

const tally = process('tally', async (input: Reader<Counts>, total: number, done: (counts: Counts, lines: number) => void) => {
  const counts: Counts = {};
  let seen = 0;
  for await (const c of input) {
    for (const [word, n] of Object.entries(c)) counts[word] = (counts[word] ?? 0) + n;
    if (++seen === Math.floor(total / 3)) console.error(`counted a third (${seen} lines): kill -9 a worker now`);
  }
  done(counts, seen);
});

/** The network: `text` fed on main, counted by `workers` replicas, tallied on main. */
export function durableWordCount(text: readonly string[], workers: number, done: (counts: Counts, lines: number) => void) {
  return network((net) => {
    const linesChannel = net.channel<string>('lines', { buffer: 256, durable: { ackWait: 2 } });
    const countsChannel = net.channel<Counts>('counts', { buffer: 256, durable: { ackWait: 2 } });
    net.spawn(feed(text, linesChannel.writer()), { place: 'main' });
    net.spawn(countLines(linesChannel.reader(), countsChannel.writer()), { replicas: workers });
    net.spawn(tally(countsChannel.reader(), text.length, done), { place: 'main' });
  });
}

if (import.meta.url === pathToFileURL(globalThis.process.argv[1] ?? '').href) {
  const text = lines(3_000);
  const servers = globalThis.process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  await run(
    durableWordCount(text, 2, (counts, seen) => {
      const words = Object.values(counts).reduce((a, b) => a + b, 0);
      const top = Object.entries(counts)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([w, n]) => `${w} ${n}`)
        .join(', ');
      console.log(`${seen} lines, ${words} words; most frequent: ${top}`);
    }),
    { runtime: nats({ servers, discoverMs: 500 }) },
  );
}
