/**
 * Channels homed in a `cspflow worker` child process, used from this process through proxies over
 * NATS: the NATS analogue of cspflow/testing's startRemoteHome, for the conformance suite.
 */
import type { Codec } from '../../src/codec/codec.js';
import type { Channel } from '../../src/core/chan.js';
import { realScheduler } from '../../src/core/scheduler.js';
import type { Peer } from '../../src/remote/peer.js';
import { newRegistry } from '../../src/remote/registry.js';
import { Station } from '../../src/remote/station.js';
import type { RemoteChannelOptions } from '../../src/testing/remote-home.js';
import { natsHost } from '../../src/transports/nats/host.js';
import { FIXTURE_PATH, startCliWorker, type CliWorker } from './cli-worker.js';

export interface NatsHome {
  chan<T>(options?: RemoteChannelOptions): Channel<T>;
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startNatsHome(url: string, prefix: string): Promise<NatsHome> {
  const worker: CliWorker = startCliWorker(['--nats', url, '--module', FIXTURE_PATH, '--name', 'home', '--prefix', prefix]);
  await worker.ready;
  const codecs = newRegistry().codecs;
  const station = new Station({ id: 'main' });
  const host = natsHost({ servers: url, prefix, discoverMs: 500, timers: realScheduler });
  const [peer] = (await host.start(station, 1)) as [Peer];
  await peer.settle();
  return {
    chan<T>(options: RemoteChannelOptions = {}): Channel<T> {
      const { codec: name = 'msgpack', ...rest } = options;
      return peer.channel({ ...rest, codec: codecs.get(name) as Codec<T> });
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await peer.settle();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async dispose() {
      await host.close();
      worker.child.kill('SIGTERM');
      await worker.exited;
    },
  };
}
