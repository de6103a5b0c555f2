/**
 * The main-thread side of one worker: its link, the home serving the worker's proxies, the client
 * for proxies this thread holds of channels living in the worker, and the processes spawned there.
 *
 * When the worker dies (an uncaught error, or an exit nobody asked for), every end it held is
 * poisoned with a WorkerCrashedError, every operation waiting on it fails with that error, and
 * every process still running there rejects with it — nothing hangs.
 */
import { existsSync } from 'node:fs';
import type { Codec } from '../../codec/codec.js';
import { PoisonError, RetiredError } from '../../core/errors.js';
import { Client } from './client.js';
import { WorkerCrashedError } from './errors.js';
import { Home, type HomeRegistry } from './home.js';
import { Link, type Frame } from './link.js';
import { startWorker, Wire, wirePair, type WorkerHandle } from './node-threads.js';
import type { ArgSpec } from './spawn-args.js';
import { fromWire, markWorker, type WireValue } from './wire-errors.js';

const ENTRY = new URL('./worker-entry.js', import.meta.url);
const FROM_SOURCE = !existsSync(new URL('./worker-host.js', import.meta.url));

interface Remote {
  readonly name: string;
  resolve(): void;
  reject(error: unknown): void;
}

export class WorkerPeer {
  readonly link: Link;
  readonly client: Client;
  readonly home: Home;
  private readonly remote = new Map<number, Remote>();
  private nextPid = 1;
  private death: Error | null = null;
  private stopping = false;

  private constructor(
    private readonly handle: WorkerHandle,
    wire: Wire,
    registry: HomeRegistry,
    codecs: ReadonlyMap<string, Codec<unknown>>,
  ) {
    this.link = new Link(wire, handle.threadId);
    this.client = new Client(this.link);
    this.home = new Home(registry, this.link, codecs);
    this.link.host = (f) => this.hostFrame(f);
    handle.onDeath((cause) => this.die(new WorkerCrashedError(handle.threadId, cause)));
  }

  static start(modules: readonly string[], registry: HomeRegistry, codecs: ReadonlyMap<string, Codec<unknown>>): WorkerPeer {
    const { a, b, transfer } = wirePair();
    const execArgv = [...process.execArgv];
    if (FROM_SOURCE && !execArgv.some((arg) => arg.includes('cspflow-source'))) execArgv.push('--conditions=cspflow-source');
    const handle = startWorker(ENTRY, { wire: b, modules, worker: 0 }, transfer, execArgv);
    return new WorkerPeer(handle, new Wire(a), registry, codecs);
  }

  get worker(): number {
    return this.handle.threadId;
  }

  /** Runs process `name` in the worker with `args`; `held` are the ids of the ends it gets. */
  spawn(name: string, args: readonly ArgSpec[], held: readonly number[]): Promise<void> {
    if (this.death !== null) return Promise.reject(this.death);
    const pid = this.nextPid++;
    this.home.preHold(pid, name, held);
    return new Promise<void>((resolve, reject) => {
      this.remote.set(pid, { name, resolve, reject });
      this.link.send({ t: 'spawn', pid, name, args });
    });
  }

  /** Makes a channel living in the worker; resolves with its id and name there. */
  async makeChannel(options: object, codec: string): Promise<{ id: number; name: string }> {
    const f = await this.client.call({ t: 'chan', o: { ...options, codec } }, undefined);
    if (f.t === 'err') throw this.client.rebuild(f['x'] as WireValue);
    return { id: f['c'] as number, name: f['name'] as string };
  }

  /** Makes an end on a channel living in the worker; resolves with the end's id there. */
  async openEnd(channel: number, side: 'reader' | 'writer'): Promise<number> {
    const f = await this.client.call({ t: 'open', c: channel, s: side }, undefined);
    if (f.t === 'err') throw this.client.rebuild(f['x'] as WireValue);
    return f['e'] as number;
  }

  /** Resolves once the worker has answered everything sent before (and gone idle twice). */
  async settle(): Promise<void> {
    const f = await this.client.call({ t: 'ping' }, undefined);
    if (f.t === 'err') throw this.client.rebuild(f['x'] as WireValue);
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    this.link.flush();
    await this.handle.terminate();
    this.link.close();
  }

  private hostFrame(f: Frame): void {
    if (f.t === 'log') {
      this.die(new WorkerCrashedError(this.worker, this.client.rebuild(f['x'] as WireValue)));
      return;
    }
    const pid = f['pid'] as number;
    const r = this.remote.get(pid);
    if (r === undefined) return;
    this.remote.delete(pid);
    if (f['x'] === undefined) {
      this.home.finish(pid, { kind: 'retire' });
      r.resolve();
    } else {
      const error = fromWire(f['x'] as WireValue);
      markWorker(error, this.worker);
      this.home.finish(pid, error instanceof RetiredError ? { kind: 'retire' } : error instanceof PoisonError ? { kind: 'poison', reason: error.reason, origin: error.origin } : { kind: 'poison', reason: error, origin: undefined });
      r.reject(error);
    }
  }

  private die(error: WorkerCrashedError): void {
    if (this.death !== null || this.stopping) return;
    this.death = error;
    this.home.poisonAll(error);
    this.client.fail(error);
    for (const r of this.remote.values()) {
      const failure = new WorkerCrashedError(this.worker, error.cause ?? 1);
      Object.defineProperty(failure, 'process', { value: r.name, enumerable: false, writable: true, configurable: true });
      r.reject(failure);
    }
    this.remote.clear();
  }
}
