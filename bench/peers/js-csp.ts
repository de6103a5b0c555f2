/**
 * js-csp 1.0.1 (a port of core.async): go-blocks are generators, `yield csp.put/take`;
 * `csp.chan()` is rendezvous, `csp.chan(n)` fixed-buffered; take yields CLOSED after close().
 * Each go-block step is scheduled with setImmediate by the library itself.
 */
import csp from 'js-csp';
import { type BenchCase, type Observed, STREAM_BUFFER, expectValue } from '../scenarios.js';

type Chan = ReturnType<typeof csp.chan<number>>;
type Block = Generator<ReturnType<typeof csp.take>, void, unknown>;

/** Runs go-blocks concurrently and resolves when all have returned (js-csp's go() returns a channel). */
function goAll(blocks: ReadonlyArray<() => Block>): Promise<unknown[]> {
  return Promise.all(blocks.map((b) => new Promise((resolve) => csp.takeAsync(csp.go(b), resolve))));
}

async function commstime(n: number): Promise<Observed> {
  const [a, b, c, d] = [0, 1, 2, 3].map((): Chan => csp.chan<number>());
  let count = 0;
  let sum = 0;
  let last: unknown;
  function* prefix(): Block {
    yield csp.put(a, 0);
    for (let i = 1; i < n; i++) yield csp.put(a, (yield csp.take(d)) as number);
    last = yield csp.take(d);
  }
  function* delta(): Block {
    for (let i = 0; i < n; i++) {
      const v = (yield csp.take(a)) as number;
      yield csp.put(c, v);
      yield csp.put(b, v);
    }
  }
  function* succ(): Block {
    for (let i = 0; i < n; i++) yield csp.put(d, ((yield csp.take(b)) as number) + 1);
  }
  function* consume(): Block {
    for (let i = 0; i < n; i++) { sum += (yield csp.take(c)) as number; count++; }
  }
  await goAll([prefix, delta, succ, consume]);
  // An exception inside a go-block escapes from a setImmediate callback, so check here instead.
  expectValue('js-csp prefix last', last, n);
  return { count, sum };
}

async function stream(m: number): Promise<Observed> {
  const ch = csp.chan<number>(STREAM_BUFFER);
  let count = 0;
  let sum = 0;
  function* producer(): Block {
    for (let i = 1; i <= m; i++) yield csp.put(ch, i);
    ch.close();
  }
  function* consumer(): Block {
    for (let v = yield csp.take(ch); v !== csp.CLOSED; v = yield csp.take(ch)) { sum += v as number; count++; }
  }
  await goAll([producer, consumer]);
  return { count, sum };
}

export const jsCspCases: readonly BenchCase[] = [
  { library: 'js-csp', scenario: 'commstime', variant: '', run: commstime },
  { library: 'js-csp', scenario: 'stream', variant: '', run: stream },
];
