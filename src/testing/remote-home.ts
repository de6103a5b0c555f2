/**
 * Channels living in a worker thread, used from this one through proxies: every end handed out is
 * a proxy across the thread boundary. This is how the conformance suite checks that the remote
 * layer over the thread transport keeps the core's semantics.
 */
import type { Codec } from '../codec/codec.js';
import type { Channel, ChannelOptions } from '../core/chan.js';
import type { PeerConnection } from '../remote/peer.js';
import { newRegistry } from '../remote/registry.js';
import { Station } from '../remote/station.js';
import { startOne } from '../transports/threads/pool.js';

export interface RemoteChannelOptions extends ChannelOptions {
  /** A built-in codec's name (`msgpack` default, `clone`, `json`). */
  readonly codec?: 'msgpack' | 'clone' | 'json';
}

export interface RemoteHome {
  /** The worker's thread id. */
  readonly worker: number;
  /** A channel living in the worker; its ends here are proxies, made at once. Throws RangeError as chan() does. */
  chan<T>(options?: RemoteChannelOptions): Channel<T>;
  /** Resolves once everything sent so far has been performed and answered. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRemoteHome(): Promise<RemoteHome> {
  const codecs = newRegistry().codecs;
  const station = new Station({ id: 'main' });
  const { handle, connection } = startOne(station, []);
  const peer: PeerConnection = connection;
  await peer.settle();
  return {
    worker: handle.threadId,
    chan<T>(options: RemoteChannelOptions = {}): Channel<T> {
      const { codec: name = 'msgpack', ...rest } = options;
      const codec = codecs.get(name);
      if (codec === undefined) throw new RangeError(`startRemoteHome().chan: codec must be "msgpack", "clone" or "json", got ${String(name)}`);
      return peer.channel({ ...rest, codec: codec as Codec<T> });
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await peer.settle();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async dispose() {
      peer.flush();
      await handle.terminate();
      peer.close();
    },
  };
}
