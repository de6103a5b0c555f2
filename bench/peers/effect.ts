/**
 * effect 3: fibers written with Effect.gen, channels are Queue.bounded, one Effect.runPromise per
 * run on the default runtime. Commstime's channels are Queue.bounded(0), Effect's rendezvous
 * (Effect-TS/effect#1495: an offer suspends until a taker takes the value; checked here with 3.22.4).
 * Queue has no graceful close (shutdown discards what is buffered and interrupts takers), so the
 * stream consumer takes a known count.
 */
import { Effect, Queue } from 'effect';
import { type BenchCase, type Observed, STREAM_BUFFER, expectValue } from '../scenarios.js';


const commstime = (n: number): Promise<Observed> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const [a, b, c, d] = yield* Effect.all([0, 1, 2, 3].map(() => Queue.bounded<number>(0)));
      let count = 0;
      let sum = 0;
      const prefix = Effect.gen(function* () {
        yield* Queue.offer(a, 0);
        for (let i = 1; i < n; i++) yield* Queue.offer(a, yield* Queue.take(d));
        expectValue('effect prefix last', yield* Queue.take(d), n);
      });
      const delta = Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          const v = yield* Queue.take(a);
          yield* Queue.offer(c, v);
          yield* Queue.offer(b, v);
        }
      });
      const succ = Effect.gen(function* () {
        for (let i = 0; i < n; i++) yield* Queue.offer(d, (yield* Queue.take(b)) + 1);
      });
      const consume = Effect.gen(function* () {
        for (let i = 0; i < n; i++) { sum += yield* Queue.take(c); count++; }
      });
      yield* Effect.all([prefix, delta, succ, consume], { concurrency: 'unbounded', discard: true });
      return { count, sum };
    }),
  );

const stream = (m: number): Promise<Observed> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const q = yield* Queue.bounded<number>(STREAM_BUFFER);
      let count = 0;
      let sum = 0;
      const producer = Effect.gen(function* () {
        for (let i = 1; i <= m; i++) yield* Queue.offer(q, i);
      });
      const consumer = Effect.gen(function* () {
        for (let i = 0; i < m; i++) { sum += yield* Queue.take(q); count++; }
      });
      yield* Effect.all([producer, consumer], { concurrency: 'unbounded', discard: true });
      return { count, sum };
    }),
  );

export const effectCases: readonly BenchCase[] = [
  { library: 'effect', scenario: 'commstime', variant: '', note: 'Queue.bounded(0) as rendezvous', run: commstime },
  { library: 'effect', scenario: 'stream', variant: '', note: 'consumer takes a known count', run: stream },
];
