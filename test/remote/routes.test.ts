/**
 * Direct routes between simulated hosts (record 0014): a channel read in one host and written in
 * another lives with its reader, and its values go host to host — the runner relays none of them,
 * counted at the simulated network. Ends retire and poison across the route; a lost host fails the
 * other side's ends; a graceful stop reaches a routed source.
 */
import { describe, expect, it } from 'vitest';
import { network, process, run, type Reader } from '../../src/index.js';
import { msgpackCodec } from '../../src/codec/msgpack.js';
import type { Channel } from '../../src/core/chan.js';
import { EndRequest } from '../../src/remote/peer.js';
import { Station } from '../../src/remote/station.js';
import { consistent, type WaitReport } from '../../src/remote/wait-report.js';
import { seededChoices } from '../../src/testing/choices.js';
import { registryOf, simConnect, simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';
import { routedStream, routeEndless, routePoisoner, routeSource, routeStopper, routeSum, routeWatch, routeWriteWatch } from '../fixtures/route-procs.js';

const PROCESSES = [routeSource, routeSum, routeEndless, routePoisoner, routeStopper, routeWatch, routeWriteWatch];

/** Runs `net` on two simulated hosts; counts the wire messages to or from main, and those between hosts. */
async function counted(net: ReturnType<typeof network>, seed: number, options: { readonly signal?: AbortSignal } = {}) {
  const counts = { main: 0, between: 0 };
  const sim = new SimNetwork({
    choices: seededChoices(seed),
    maxDelay: 1,
    fault: (d) => {
      if (d.from === 'main' || d.to === 'main') counts.main++;
      else counts.between++;
      return 'deliver';
    },
  });
  await run(net, { runtime: simulated({ network: sim, processes: PROCESSES, size: 2 }), ...options });
  return counts;
}

describe('a stream from one host to a reader in another', () => {
  it('goes over a direct route: main relays none of its values', async () => {
    for (const seed of [1, 2, 3]) {
      const few: [number, number][] = [];
      const many: [number, number][] = [];
      const small = await counted(routedStream(5, few), seed);
      const big = await counted(routedStream(3000, many), seed);
      expect(few).toEqual([[5, 10]]);
      expect(many).toEqual([[3000, (3000 * 2999) / 2]]);
      // What crosses main is the run's own traffic (spawns, the total, endings): the same for 5 values as for 3000.
      expect(big.main).toBe(small.main);
      expect(big.between).toBeGreaterThan(small.between);
    }
  });

  it('ends retire across the route: a writer ending ends the reader’s stream; many writers, the last one', async () => {
    const into: [number, number][] = [];
    const net = network((n) => {
      const c = n.channel<number>('c');
      const out = n.channel<[number, number]>('out');
      n.spawn(routeSource(50, c.writer()), { replicas: 2 });
      n.spawn(routeSum(c.reader(), out.writer()));
      n.spawn(collectTo(into)(out.reader()), { place: 'main' });
    });
    // Three hosts: the writers in hosts 1 and 3 (round robin), the reader in host 2.
    const sim = new SimNetwork({ choices: seededChoices(11), maxDelay: 2 });
    await run(net, { runtime: simulated({ network: sim, processes: PROCESSES, size: 3 }) });
    expect(into).toEqual([[100, 2 * ((50 * 49) / 2)]]);
  });

  it('poison crosses the route both ways', async () => {
    const outcomes: string[] = [];
    const writerPoisons = network((n) => {
      const c = n.channel<number>('c');
      const out = n.channel<string>('out');
      n.spawn(routePoisoner(3, 'stop', c.writer()));
      n.spawn(routeWatch(c.reader(), out.writer()));
      n.spawn(collectTo(outcomes)(out.reader()), { place: 'main' });
    });
    await run(writerPoisons, { runtime: simulated({ network: new SimNetwork({ choices: seededChoices(5) }), processes: PROCESSES }) });
    expect(outcomes).toEqual(['PoisonError']);
    const reported: string[] = [];
    const readerPoisons = network((n) => {
      const c = n.channel<number>('c');
      const report = n.channel<string>('report');
      n.spawn(routeWriteWatch(c.writer(), report.writer()));
      n.spawn(routeStopper(2, 'enough', c.reader()));
      n.spawn(collectTo(reported)(report.reader()), { place: 'main' });
    });
    await run(readerPoisons, { runtime: simulated({ network: new SimNetwork({ choices: seededChoices(6) }), processes: PROCESSES }) });
    expect(reported).toEqual(['PoisonError']);
  });

  it('a graceful stop reaches a routed source: it ends, and the reader sees the end of the stream', async () => {
    const into: [number, number][] = [];
    const net = network((n) => {
      const c = n.channel<number>('c', { buffer: 4 });
      const out = n.channel<[number, number]>('out');
      n.spawn(routeEndless(c.writer()));
      n.spawn(routeSum(c.reader(), out.writer()));
      n.spawn(collectTo(into)(out.reader()), { place: 'main' });
    });
    const controller = new AbortController();
    const sim = new SimNetwork({ choices: seededChoices(3), onStep: () => sim.delivered === 400 && controller.abort() });
    await run(net, { runtime: simulated({ network: sim, processes: PROCESSES }), signal: controller.signal });
    expect(into).toHaveLength(1);
    const [count, sum] = into[0] as [number, number];
    expect(count).toBeGreaterThan(0);
    expect(sum).toBe((count * (count - 1)) / 2);
  });
});

function collectTo<T>(into: T[]) {
  return process('route-collect-any', async (inp: Reader<T>) => {
    for await (const v of inp) into.push(v);
  });
}

/** Main and hosts a, b; a channel living in a, written in b over the route (endlessly, or `count` values), read in a. */
function lossRig(seed: number, count?: number) {
  const network = new SimNetwork({ choices: seededChoices(seed), maxDelay: 1 });
  const registry = registryOf(PROCESSES);
  const main = new Station({ id: 'main' });
  const a = new Station({ id: 'a', registry });
  const b = new Station({ id: 'b', registry });
  const [toA] = simConnect(network, main, a);
  const [toB] = simConnect(network, main, b);
  const [aToB] = simConnect(network, a, b);
  const c = toA.channel({ codec: msgpackCodec<number>(), buffer: 2 });
  const report = main.channel<string>({ name: 'report', buffer: 1 }, msgpackCodec<string>());
  const end = new EndRequest(c as Channel<unknown>, 'writer');
  const writer = count === undefined ? toB.spawn('route-endless', [end]) : toB.spawn('route-source', [count, end]);
  const watcher = toA.spawn('route-watch', [new EndRequest(c as Channel<unknown>, 'reader'), new EndRequest(report as Channel<unknown>, 'writer')]);
  return { network, main, a, b, toB, aToB, writer, watcher, report };
}

class HostLostError extends Error {
  override readonly name = 'HostLostError';
}

describe('deadlock detection sees the routes', () => {
  it('each station reports its route with the others, and once quiet the counts agree on both sides', async () => {
    const r = lossRig(9, 30);
    // Quiet: the writer has ended, the reader has left its outcome in main's buffer.
    await r.writer.done;
    await r.network.settle();
    const reports = [r.main.reportWaits(), r.a.reportWaits(), r.b.reportWaits()];
    const links = (i: number): string[] => (reports[i] as WaitReport).links.map((l) => l.peer).sort();
    expect(links(1)).toEqual(['b', 'main']);
    expect(links(2)).toEqual(['a', 'main']);
    const aToB = reports[1]?.links.find((l) => l.peer === 'b');
    const bToA = reports[2]?.links.find((l) => l.peer === 'a');
    expect(aToB?.received).toBeGreaterThan(0);
    expect([aToB?.sent, aToB?.received]).toEqual([bToA?.received, bToA?.sent]);
    expect(consistent(reports)).toBe(true);
    expect(await r.report.reader().read()).toBe('ended');
    await r.watcher.done;
  });
});

describe('a lost host', () => {


  it('fails the ends at the other side of its routes: its channel there is poisoned with the loss', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = lossRig(seed);
      await until(r.network, 60);
      const lost = new HostLostError('host b is gone');
      r.toB.lose(lost);
      r.aToB.lose(lost);
      await expect(r.writer.done).rejects.toBe(lost);
      expect(await r.report.reader().read()).toBe('PoisonError/HostLostError');
      await r.watcher.done;
    }
  });

  it('seen by the runner only (before its adoption reached the home, or before the home sees it): the runner poisons through the placeholder', async () => {
    for (const [seed, steps] of [[1, 0], [2, 3], [3, 60], [4, 200]] as const) {
      const r = lossRig(seed);
      await until(r.network, steps);
      const lost = new HostLostError('host b is gone');
      r.toB.lose(lost);
      await expect(r.writer.done).rejects.toBe(lost);
      expect(await r.report.reader().read()).toBe('PoisonError/HostLostError');
      await r.watcher.done;
    }
  });
});

/** Lets `network` deliver `steps` messages (or fewer, if it falls quiet first). */
async function until(network: SimNetwork, steps: number): Promise<void> {
  const from = network.delivered;
  for (let idle = 0; network.delivered - from < steps && idle < 50; ) {
    const before = network.delivered;
    await new Promise<void>((resolve) => setImmediate(resolve));
    idle = network.delivered === before ? idle + 1 : 0;
  }
}
