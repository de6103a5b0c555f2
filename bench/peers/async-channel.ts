/**
 * async-channel 0.2.0: `new Channel(capacity)` (0 = rendezvous: push() resolves once a get() took
 * the value), `push`/`get`, `close()`; get() rejects with ChannelClosedError once closed and drained.
 */
import { Channel, ChannelClosedError } from 'async-channel';
import { type BenchCase, type Observed, STREAM_BUFFER, expectValue } from '../scenarios.js';

async function commstime(n: number): Promise<Observed> {
  const [a, b, c, d] = [0, 1, 2, 3].map(() => new Channel<number>(0));
  let count = 0;
  let sum = 0;
  const prefix = async (): Promise<void> => {
    await a.push(0);
    for (let i = 1; i < n; i++) await a.push(await d.get());
    expectValue('async-channel prefix last', await d.get(), n);
  };
  const delta = async (): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const v = await a.get();
      await c.push(v);
      await b.push(v);
    }
  };
  const succ = async (): Promise<void> => {
    for (let i = 0; i < n; i++) await d.push((await b.get()) + 1);
  };
  const consume = async (): Promise<void> => {
    for (let i = 0; i < n; i++) { sum += await c.get(); count++; }
  };
  await Promise.all([prefix(), delta(), succ(), consume()]);
  return { count, sum };
}

async function stream(m: number): Promise<Observed> {
  const ch = new Channel<number>(STREAM_BUFFER);
  const producer = async (): Promise<void> => {
    for (let i = 1; i <= m; i++) await ch.push(i);
    ch.close();
  };
  const consumer = async (): Promise<Observed> => {
    let count = 0;
    let sum = 0;
    for (;;) {
      let v: number;
      try {
        v = await ch.get();
      } catch (e) {
        if (e instanceof ChannelClosedError) break;
        throw e;
      }
      sum += v;
      count++;
    }
    return { count, sum };
  };
  const [, seen] = await Promise.all([producer(), consumer()]);
  return seen;
}

export const asyncChannelCases: readonly BenchCase[] = [
  { library: 'async-channel', scenario: 'commstime', variant: '', run: commstime },
  { library: 'async-channel', scenario: 'stream', variant: '', run: stream },
];
