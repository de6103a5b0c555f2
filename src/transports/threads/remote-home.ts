/**
 * Channels living in a worker thread, used from this one through proxies: every end handed out
 * is a proxy across the thread boundary. This is how the conformance suite checks that the thread
 * transport keeps the core's semantics, and a building block for placing channels near their users.
 */
import type { Codec } from '../../codec/codec.js';
import type { ChannelOptions, Channel } from '../../core/chan.js';
import type { Reader, Writer } from '../../core/ends.js';
import { currentRuntime } from '../../core/runtime.js';
import { proxyEnd, type ProxyChannel } from './client.js';
import { HomeRegistry } from './home.js';
import { builtinCodecs } from './registry.js';
import { WorkerPeer } from './worker-peer.js';

export interface RemoteChannelOptions extends ChannelOptions {
  /** A built-in codec's name (`msgpack` default, `clone`, `json`). */
  readonly codec?: 'msgpack' | 'clone' | 'json';
}

export interface RemoteHome {
  readonly worker: number;
  chan<T>(options?: RemoteChannelOptions): Channel<T>;
  /** Resolves once everything sent so far has been performed and answered. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRemoteHome(): Promise<RemoteHome> {
  const codecs: ReadonlyMap<string, Codec<unknown>> = builtinCodecs();
  const peer = WorkerPeer.start([], new HomeRegistry(), codecs);
  await peer.settle();
  const client = peer.client;
  return {
    worker: peer.worker,
    chan<T>(options: RemoteChannelOptions = {}): Channel<T> {
      const codecName = options.codec ?? 'msgpack';
      const reply = client.ask({ t: 'chan', o: { ...options, codec: codecName } });
      const channel: ProxyChannel = { id: reply['c'] as number, name: reply['name'] as string, codec: codecs.get(codecName) as Codec<unknown> };
      const open = (side: 'reader' | 'writer'): unknown => {
        const e = client.ask({ t: 'open', c: channel.id, s: side })['e'] as number;
        const end = proxyEnd(client, side, e, channel);
        // As with core ends: an end made while a process body starts belongs to that process.
        const starting = currentRuntime().current;
        if (starting !== null) {
          end.hold(starting);
          end.maker = starting;
        }
        return end;
      };
      return { name: channel.name, reader: () => open('reader') as Reader<T>, writer: () => open('writer') as Writer<T> };
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await peer.settle();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    dispose: () => peer.terminate(),
  };
}
