/**
 * One process name, one body, everywhere: two definitions of a name in one network, or a worker
 * that registered the name from another file than the network's process, is a ProcessClashError —
 * never the other body run silently.
 */
import { describe, expect, it } from 'vitest';
import { network, ProcessClashError, process, run, type Reader } from '../../src/index.js';
import { threads } from '../../src/threads/index.js';
import { gen as genA } from '../fixtures/clash-a.js';
import { gen as genB } from '../fixtures/clash-b.js';

const A = new URL('../fixtures/clash-a.ts', import.meta.url).href;

function collecting(got: number[]) {
  return process('names/collect', async (input: Reader<number>) => {
    for await (const v of input) got.push(v);
  });
}

describe('process names', () => {
  it('a worker that registered the name from another module: the run rejects with ProcessClashError naming both files', async () => {
    const got: number[] = [];
    const net = network((n) => {
      const xs = n.channel<number>('xs');
      n.spawn(genB(xs.writer()));
      n.spawn(collecting(got)(xs.reader()), { place: 'main' });
    });
    const error = await run(net, { runtime: threads({ size: 1, modules: [A] }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessClashError);
    expect(error).toMatchObject({ code: 'ERR_CSPFLOW_PROCESS_CLASH', process: 'clash/gen' });
    expect((error as ProcessClashError).message).toMatch(/clash-b\.ts.*clash-a\.ts/);
    expect(got).toEqual([]);
  });

  it('two definitions of one name in one network: network() throws', () => {
    const build = (): unknown =>
      network((n) => {
        const xs = n.channel<number>('xs');
        n.spawn(genA(xs.writer()));
        n.spawn(genB(xs.writer()));
      });
    expect(build).toThrow(ProcessClashError);
    expect(build).toThrow(/"clash\/gen" has two definitions in this network/);
  });

  it('one definition made into several instances (a factory defined in a function, called twice) is no clash', async () => {
    const first: number[] = [];
    const second: number[] = [];
    const net = network((n) => {
      const xs = n.channel<number>('xs', { buffer: 2 });
      const ys = n.channel<number>('ys', { buffer: 2 });
      n.spawn(genA(xs.writer()));
      n.spawn(genA(ys.writer()));
      n.spawn(collecting(first)(xs.reader()), { place: 'main' });
      n.spawn(collecting(second)(ys.reader()), { place: 'main' });
    });
    await run(net, { runtime: threads({ size: 1, modules: [A] }) });
    expect([first, second]).toEqual([[1], [1]]);
  });
});
