/**
 * The arguments of every process placed in another thread or host, checked before the run starts
 * anything: an argument that cannot go there (a closure, an end of a core channel made with chan(),
 * a value the spawn codec refuses) is a SpawnArgumentError naming the process, the argument's
 * position and the fix. Checked up front so that nothing is half-started when it fails: no worker
 * spawned, nothing posted, no stand-in left behind — and so that the run rejects, whatever the
 * host does with uncaught errors.
 */
import type { Codec } from '../codec/codec.js';
import { isProcessEnd } from '../core/ends.js';
import { SpawnArgumentError } from '../remote/errors.js';
import { EndRef, type Placed } from './network.js';

function placeOnMain(process: string): string {
  return `Place the process on main, where it runs with the value itself: net.spawn(${process}(…), { place: 'main' })`;
}

/** Throws a SpawnArgumentError for the first argument of `remote` processes that cannot cross with `values`. */
export function checkSpawnArgs(remote: readonly Placed[], values: Codec<unknown>): void {
  for (const placed of remote) {
    const { name, args } = placed.instance;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const items = Array.isArray(arg) && arg.some((a) => a instanceof EndRef || isProcessEnd(a)) ? (arg as unknown[]) : [arg];
      for (const item of items) if (!(item instanceof EndRef)) checkOne(name, i + 1, item, values);
    }
  }
}

function checkOne(process: string, argument: number, value: unknown, values: Codec<unknown>): void {
  if (isProcessEnd(value)) {
    throw new SpawnArgumentError(
      process,
      argument,
      'it is an end of a channel made with chan(), which lives in this thread only',
      "Declare the channel in the network instead — const c = net.channel('name') — and give the process c.reader() or c.writer()",
    );
  }
  if (typeof value === 'function') {
    throw new SpawnArgumentError(process, argument, 'it is a function (a closure cannot run in another thread or host)', `${placeOnMain(process)}, or pass plain data`);
  }
  try {
    if (values.check !== undefined) values.check(value);
    else values.encode(value);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new SpawnArgumentError(process, argument, why, `${placeOnMain(process)}, or pass plain data`, cause);
  }
}
