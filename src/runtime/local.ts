/** The local runtime: every process in this thread, every channel an in-memory core channel. */
import { chan, type Channel } from '../core/chan.js';
import type { End } from '../core/ends.js';
import { par, process, type ProcessInstance } from '../core/process.js';
import { bindArgs, refuseDurable, type EndRef, type Network } from './network.js';
import type { Execution, Runtime } from './runtime.js';

export function local(): Runtime {
  return {
    name: 'local',
    execute(net: Network): Execution {
      refuseDurable(net, 'local');
      const channels = new Map<string, Channel<unknown>>();
      for (const decl of net.channels) channels.set(decl.name, chan({ buffer: decl.options.buffer, maxPending: decl.options.maxPending, name: decl.name }));
      const sources: End<unknown>[][] = [];
      const instances: ProcessInstance[] = [];
      for (const placed of net.processes) {
        for (let i = 0; i < placed.replicas; i++) {
          const ends: End<unknown>[] = [];
          const make = (ref: EndRef): unknown => {
            const c = channels.get(ref.channel.name) as Channel<unknown>;
            const end = (ref.side === 'reader' ? c.reader() : c.writer()) as unknown as End<unknown>;
            ends.push(end);
            return end;
          };
          const args = bindArgs(placed.instance.args, make);
          if (ends.every((e) => e.side === 'writer')) sources.push(ends);
          instances.push(rebuild(placed.instance, args));
        }
      }
      return { done: par(instances), drain: () => sources.forEach((ends) => ends.forEach((e) => e.retire())) };
    },
  };
}

/** The same process (name and body) with new arguments. */
export function rebuild(instance: ProcessInstance, args: unknown[]): ProcessInstance {
  return process(instance.name, instance.body as (...a: unknown[]) => Promise<void>)(...args);
}
