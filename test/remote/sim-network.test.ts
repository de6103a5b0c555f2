/**
 * The simulated network itself: a network declared once runs on simulated hosts with the same
 * placement as on threads and gives the same output as on local(); a run is replayed exactly by
 * its seed; and raw simulated wires take the faults the reliable-link layer will be tested with
 * (drop, duplicate, partition, sever) while keeping FIFO per link.
 */
import { describe, expect, it } from 'vitest';
import { local, network, process, run, type Reader, type Writer } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork, type SimFate } from '../../src/testing/sim/network.js';

const numbers = process('sim-numbers', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i);
});
const square = process('sim-square', async (inp: Reader<number>, out: Writer<number>) => {
  for await (const x of inp) await out.write(x * x);
});

function squares(into: number[], n: number) {
  return network((net) => {
    const a = net.channel<number>('a', { buffer: 4 });
    const b = net.channel<number>('b');
    net.spawn(numbers(n, a.writer()));
    net.spawn(square(a.reader(), b.writer()), { replicas: 2 });
    net.spawn(
      process('sim-collect', async (inp: Reader<number>) => {
        for await (const v of inp) into.push(v);
      })(b.reader()),
      { place: 'main' },
    );
  });
}

describe('a network on simulated hosts', () => {
  it('gives the same output as on local(), and the same deliveries again from the same seed', async () => {
    const expected: number[] = [];
    await run(squares(expected, 30), { runtime: local() });
    const replays: string[] = [];
    for (let k = 0; k < 2; k++) {
      const got: number[] = [];
      const net = new SimNetwork({ choices: seededChoices(99), maxDelay: 2 });
      await run(squares(got, 30), { runtime: simulated({ network: net, processes: [numbers, square] }) });
      expect([...got].sort((x, y) => x - y)).toEqual([...expected].sort((x, y) => x - y));
      replays.push(`${net.delivered}:${net.replay}`);
    }
    expect(replays[1]).toBe(replays[0]);
  });
});

describe('raw simulated wires take faults', () => {
  function pair(fault?: (seq: number) => SimFate) {
    const net = new SimNetwork({ choices: seededChoices(1), ...(fault === undefined ? {} : { fault: (d) => fault(d.seq) }) });
    const [a, b] = net.pair('a', 'b');
    const got: number[] = [];
    b.onMessage((m) => got.push(m[0] as number));
    const send = (...xs: number[]): void => xs.forEach((x) => a.send(new Uint8Array([x])));
    return { net, a, b, got, send };
  }

  it('delivers in order by default; a fault hook drops and duplicates', async () => {
    const p = pair((seq) => (seq === 1 ? 'drop' : seq === 2 ? 'duplicate' : 'deliver'));
    p.send(10, 11, 12, 13);
    await p.net.settle();
    expect(p.got).toEqual([10, 12, 12, 13]);
  });

  it('a partition holds messages until healed; sever loses what is in flight', async () => {
    const p = pair();
    p.net.partition('a', 'b');
    p.send(1, 2);
    await p.net.settle();
    expect(p.got).toEqual([]);
    p.net.heal('a', 'b');
    await p.net.settle();
    expect(p.got).toEqual([1, 2]);
    p.net.partition('a', 'b');
    p.send(3);
    p.net.sever('a', 'b');
    p.net.heal('a', 'b');
    p.send(4);
    await p.net.settle();
    expect(p.got).toEqual([1, 2, 4]);
  });
});
