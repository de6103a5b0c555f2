/**
 * network(), its builder, run() and start() check their arguments and name what is wrong
 * (issue 8, item 6): channel names, spawn arguments, unknown option keys, runtime and signal.
 */
import { describe, expect, it } from 'vitest';
import { jsonCodec, local, network, process, run, start, type Network, type Writer } from '../../src/index.js';

async function failure(fn: () => unknown): Promise<Error & { code?: string; parameter?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function expectArgumentError(fn: () => unknown, kind: typeof TypeError | typeof RangeError, parameter: string, ...message: RegExp[]): Promise<void> {
  const error = await failure(fn);
  expect(error).toBeInstanceOf(kind);
  expect(error.code).toBe('ERR_CSPFLOW_INVALID_ARGUMENT');
  expect(error.parameter).toBe(parameter);
  for (const m of message) expect(error.message).toMatch(m);
}

const numbers = process('numbers', async (out: Writer<number>) => {
  await out.write(1);
});

describe('network builder', () => {
  it('network(notFunction) is refused', async () => {
    await expectArgumentError(() => network(42 as never), TypeError, 'build', /^network\(build\): build must be a function/);
  });

  it('a channel name must be a non-empty string, declared once', async () => {
    await expectArgumentError(() => network((net) => net.channel(7 as never)), TypeError, 'name', /net\.channel\(name, options\): name must be a non-empty string/, /got 7/);
    await expectArgumentError(
      () =>
        network((net) => {
          net.channel('a');
          net.channel('a');
        }),
      RangeError,
      'name',
      /a name not yet declared/,
    );
  });

  it('channel options: unknown keys, a bad buffer, home or codec', async () => {
    await expectArgumentError(() => network((net) => net.channel('a', { bufer: 2 } as never)), TypeError, 'options.bufer', /"buffer", "maxPending", "codec", "home"/, /Did you mean "buffer"/);
    await expectArgumentError(() => network((net) => net.channel('a', { buffer: 'x' } as never)), TypeError, 'options.buffer', /^net\.channel\(name, options\)/);
    await expectArgumentError(() => network((net) => net.channel('a', { home: 'writer' } as never)), TypeError, 'options.home', /"main" or "reader"/);
    await expectArgumentError(() => network((net) => net.channel('a', { codec: 'json' } as never)), TypeError, 'options.codec', /jsonCodec\(\)/);
    expect(network((net) => net.channel('a', { codec: jsonCodec(), home: 'reader', buffer: 2 })).channels).toHaveLength(1);
  });

  it('spawn needs a process instance; a factory is told to be called', async () => {
    await expectArgumentError(() => network((net) => net.spawn(numbers as never)), TypeError, 'process', /the process factory "numbers"/, /net\.spawn\(numbers\(…\)\)/);
    await expectArgumentError(() => network((net) => net.spawn(undefined as never)), TypeError, 'process', /got undefined/);
  });

  it('spawn options: unknown keys, place, replicas', async () => {
    const build = (options: unknown) => () =>
      network((net) => {
        net.spawn(numbers(net.channel('a').writer()), options as never);
      });
    await expectArgumentError(build({ replica: 2 }), TypeError, 'options.replica', /Did you mean "replicas"/);
    await expectArgumentError(build({ place: 'gpu' }), TypeError, 'options.place', /"main" or "worker"/);
    await expectArgumentError(build({ replicas: 0 }), RangeError, 'options.replicas', /an integer >= 1, got 0/);
    await expectArgumentError(build({ replicas: '2' }), TypeError, 'options.replicas');
  });
});

describe('run and start', () => {
  const net: Network = network((n) => {
    const c = n.channel<number>('c', { buffer: 1 });
    n.spawn(numbers(c.writer()));
  });

  it('run(notNetwork) rejects; a build function is told to be wrapped in network()', async () => {
    await expectArgumentError(() => run({} as never), TypeError, 'net', /^run\(net, options\): net must be a network made by network\(build\)/);
    await expectArgumentError(() => run((() => {}) as never), TypeError, 'net', /Wrap the function in network\(\)/);
  });

  it('options: unknown keys, a runtime that is not one, a signal that is not an AbortSignal', async () => {
    await expectArgumentError(() => run(net, { runtim: local() } as never), TypeError, 'options.runtim', /Did you mean "runtime"/);
    await expectArgumentError(() => run(net, { runtime: 'threads' } as never), TypeError, 'options.runtime', /local\(\) or threads\(\{ modules \}\)/);
    await expectArgumentError(() => run(net, { signal: true } as never), TypeError, 'options.signal', /AbortSignal/);
    await expectArgumentError(() => start(net, { signal: 1 } as never), TypeError, 'options.signal', /^start\(net, options\)/);
  });

  it('valid arguments still run', async () => {
    await run(net, { runtime: local(), signal: new AbortController().signal });
  });
});
