/** The floor (bench/floor-channel.ts) in both scenarios: plain async functions, Promise.all. */
import { DONE, FloorChannel } from '../floor-channel.js';
import { type BenchCase, type Observed, STREAM_BUFFER, expectValue } from '../scenarios.js';

async function commstime(n: number): Promise<Observed> {
  const [a, b, c, d] = [0, 1, 2, 3].map(() => new FloorChannel<number>());
  let count = 0;
  let sum = 0;
  const prefix = async (): Promise<void> => {
    await a.write(0);
    for (let i = 1; i < n; i++) await a.write((await d.read()) as number);
    expectValue('floor prefix last', await d.read(), n);
  };
  const delta = async (): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const v = (await a.read()) as number;
      await c.write(v);
      await b.write(v);
    }
  };
  const succ = async (): Promise<void> => {
    for (let i = 0; i < n; i++) await d.write(((await b.read()) as number) + 1);
  };
  const consume = async (): Promise<void> => {
    for (let i = 0; i < n; i++) { sum += (await c.read()) as number; count++; }
  };
  await Promise.all([prefix(), delta(), succ(), consume()]);
  return { count, sum };
}

async function stream(m: number): Promise<Observed> {
  const ch = new FloorChannel<number>(STREAM_BUFFER);
  const producer = async (): Promise<void> => {
    for (let i = 1; i <= m; i++) await ch.write(i);
    ch.close();
  };
  const consumer = async (): Promise<Observed> => {
    let count = 0;
    let sum = 0;
    for (let v = await ch.read(); v !== DONE; v = await ch.read()) { sum += v; count++; }
    return { count, sum };
  };
  const [, seen] = await Promise.all([producer(), consumer()]);
  return seen;
}

export const floorCases: readonly BenchCase[] = [
  { library: 'floor', scenario: 'commstime', variant: '', run: commstime },
  { library: 'floor', scenario: 'stream', variant: '', run: stream },
];
