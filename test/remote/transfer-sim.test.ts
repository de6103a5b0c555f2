/**
 * `transfer` on a wire that cannot move memory (the simulated network stands for NATS here): the
 * marked value still arrives, intact and of its kind, as a copy carried inline; the writer's
 * buffer is left as it was.
 */
import { describe, expect, it } from 'vitest';
import { network, process, run, transfer, type Reader, type Writer } from '../../src/index.js';
import { seededChoices } from '../../src/testing/choices.js';
import { simulated } from '../../src/testing/sim/hosts.js';
import { SimNetwork } from '../../src/testing/sim/network.js';

/** Reads byte arrays; writes each one's length and the sum of its bytes. */
const measure = process('transfer-sim/measure', async (input: Reader<Uint8Array>, out: Writer<[string, number, number]>) => {
  for await (const bytes of input) await out.write([bytes.constructor.name, bytes.length, bytes.reduce((s, b) => s + b, 0)]);
});

describe('transfer() on the simulated network', () => {
  it('the values arrive intact (copied); the writer keeps its buffers', async () => {
    const sent = [new Uint8Array(3000).fill(1), new Uint8Array(30_000).fill(2)];
    const got: [string, number, number][] = [];
    const net = network((n) => {
      const a = n.channel<Uint8Array>('bytes', { buffer: 2 });
      const b = n.channel<[string, number, number]>('sums');
      n.spawn(measure(a.reader(), b.writer()));
      n.spawn(
        process('transfer-sim/main', async (out: Writer<Uint8Array>, sums: Reader<[string, number, number]>) => {
          for (const bytes of sent) {
            await out.write(transfer(bytes));
            got.push(await sums.read());
          }
          await out.retire();
        })(a.writer(), b.reader()),
        { place: 'main' },
      );
    });
    await run(net, { runtime: simulated({ network: new SimNetwork({ choices: seededChoices(7) }), processes: [measure] }) });
    expect(got).toEqual([
      ['Uint8Array', 3000, 3000],
      ['Uint8Array', 30_000, 60_000],
    ]);
    expect(sent.map((b) => b.byteLength)).toEqual([3000, 30_000]);
  });
});
