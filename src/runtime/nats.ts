/**
 * The NATS runtime: the network runs over `cspflow worker` processes on any host that joined a
 * NATS server or cluster (`cspflow/nats`). It is the transport-neutral placement of remote.ts
 * over the NATS host (src/transports/nats): a channel lives in this process or with its
 * readers (see NetworkChannelOptions.home), processes placed on `main` run here, the others on the least loaded workers,
 * which run only processes exported by the modules they were started with. Channels declared
 * `durable` are made by the host as JetStream streams (src/transports/nats/durable-channel.ts); a
 * process whose every channel is durable is restarted when its worker is lost (remote.ts).
 */
import { currentRuntime } from '../core/runtime.js';
import { RestartTimeoutError } from '../transports/nats/errors.js';
import { availableWorkers, natsHost, type NatsHostOptions } from '../transports/nats/host.js';
import type { Codec } from '../codec/codec.js';
import { durableCapacity, durableSettings, type DurableOptions } from './durable-options.js';
import { remoteRuntime } from './remote.js';
import type { Runtime } from './runtime.js';

export interface NatsOptions extends Omit<NatsHostOptions, 'timers'> {
  /** The most workers one run uses. Default: every worker that answers, up to 64. */
  readonly workers?: number;
  /**
   * How long a run waits for a worker to take over processes lost with their worker whose every
   * channel is durable (they are restarted), when no worker of the run is left — a server outage
   * beyond the lease, the last worker killed. Beyond it the run rejects with RestartTimeoutError.
   * Default 60 000 ms.
   */
  readonly restartMs?: number;
}

export function nats(options: NatsOptions): Runtime {
  if (typeof options !== 'object' || options === null) throw new TypeError('nats(options): options must be an object with at least { servers }');
  const servers = options.servers;
  const list = typeof servers === 'string' ? [servers] : servers;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new TypeError(`nats({ servers }): servers must be a URL or a non-empty array of URLs, got ${JSON.stringify(servers)}`);
  }
  const workers = options.workers ?? 64;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`nats({ workers }): workers must be an integer >= 1, got ${workers}`);
  const restartMs = options.restartMs ?? 60_000;
  if (!Number.isFinite(restartMs) || restartMs < 0) throw new RangeError(`nats({ restartMs }): restartMs must be a number of milliseconds >= 0, got ${restartMs}`);
  return remoteRuntime({
    name: 'nats',
    size: workers,
    unit: 'worker',
    host: () => natsHost({ ...options, timers: currentRuntime().scheduler }),
    made: (host, station, fault) => {
      const durable = host.durable(fault);
      return {
        verify: async () => (await durable).verify(),
        abandon: (cause) => void durable.then((d) => d.abandon(cause)),
        make: async (decl) => {
          const settings = durableSettings(decl.options.durable as true | DurableOptions);
          return (await durable).make(station, decl.name, decl.codec as Codec<unknown>, {
            capacity: durableCapacity(decl.options.buffer) as number,
            ackWaitMs: settings.ackWait * 1_000,
            maxDeliver: settings.maxDeliver,
            replicas: settings.replicas,
            maxBytes: settings.maxBytes,
          });
        },
      };
    },
    available: () => availableWorkers(options, workers),
    restart: { withinMs: restartMs, gaveUp: (cause) => new RestartTimeoutError(options.prefix ?? 'cspflow', restartMs, cause) },
  });
}
