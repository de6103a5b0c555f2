/**
 * The NATS host: the peers of one run are `cspflow worker` processes found on a NATS server or
 * cluster. Starting a run: connect, ask every worker under the prefix who is available (one
 * request, all answers gathered), choose the least loaded, ask each to join the run, and connect
 * the runtime's station to each over a reliable link in the run's own subject namespace. During
 * the run, `recruit` asks more workers in the same way: ones started since, or ones the run lost
 * (a server outage beyond the lease) that are back — each over a new link.
 * Ending it: flush, close the links (the workers see the runner leave and drop the run), close
 * the connection.
 */
import type { Connector, Host, HostEvents, Peer, PeerConnection } from '../../remote/peer.js';
import { markError } from '../../remote/wire-errors.js';
import { encodeControl, parseAnnouncement, parseJoinReply, type Announcement } from './control.js';
import { NoWorkersError, registerNatsErrors, WorkerLostError, WorkerRefusedError } from './errors.js';
import { channelRows, serveInspect } from './inspect.js';
import { connectBus, type BusSubscription, type NatsBus, type NatsConnectOptions } from './nats-client.js';
import { natsLink } from './nats-link.js';
import { NatsPorts } from './nats-ports.js';
import { newSession, newRunId } from './random.js';
import { RunSubjects, WorkerSubjects } from './subjects.js';
import type { LinkTimers } from '../../remote/reliable-link.js';
import { DurableChannels } from './durable-channel.js';
import { durableStore } from './jetstream-client.js';

/** How a run finds and keeps its workers. */
export interface NatsHostOptions extends NatsConnectOptions {
  /** The first token of every subject; workers and runners must agree. Default `cspflow`. */
  readonly prefix?: string;
  /** The longest discovery waits for answers. Default 1000 ms. */
  readonly discoverMs?: number;
  /** A worker silent this long is lost. Default 5000 ms. */
  readonly leaseMs?: number;
  /** Heartbeats go out this often when nothing else does. Default 500 ms. */
  readonly heartbeatMs?: number;
  /** A worker that stopped listening is declared gone after being silent this long. Default 1500 ms. */
  readonly confirmMs?: number;
  readonly timers: LinkTimers;
}

/** A NATS host, which also makes a run's durable channels. */
export interface NatsHost extends Host {
  /**
   * The durable channels of this run (connecting first if no worker was needed); their streams
   * are deleted on `close`.
   */
  durable(fault: (error: Error) => void): Promise<DurableChannels>;
}

/** A host whose peers are the least loaded NATS workers answering under `options.prefix`. */
export function natsHost(options: NatsHostOptions): NatsHost {
  const prefix = options.prefix ?? 'cspflow';
  const workers = new WorkerSubjects(prefix);
  let bus: NatsBus | null = null;
  let ports: NatsPorts | null = null;
  let inspected: BusSubscription | null = null;
  const connections: PeerConnection[] = [];
  let run: string | null = null;
  let durable: DurableChannels | null = null;
  let started = false;
  /** The workers in the run now (a lost one leaves it; asked back, it is in again). */
  const inRun = new Set<PeerConnection>();
  let enter: ((worker: string) => Promise<PeerConnection>) | null = null;
  const close = async (): Promise<void> => {
    inspected?.unsubscribe();
    if (started) await settled(connections, options.timers);
    await durable?.close();
    for (const c of connections) {
      c.flush();
      c.close();
    }
    ports?.close();
    await bus?.close();
  };
  return {
    async start(station: Connector, count: number, events?: HostEvents): Promise<readonly Peer[]> {
      registerNatsErrors(station.errors);
      const b = (bus ??= await connectBus(options));
      if (events !== undefined) {
        events.connection('up', 'connected');
        b.onStatus((status) => {
          if (status.kind === 'disconnected') events.connection('down', `disconnected from ${status.server}`);
          else if (status.kind === 'reconnected') events.connection('up', `reconnected to ${status.server}`);
        });
      }
      const available = await discover(b, workers, options.discoverMs ?? 1_000);
      if (available.length === 0) throw new NoWorkersError(prefix, `none answered on ${options.servers.toString()} within ${options.discoverMs ?? 1_000} ms`);
      const chosen = available.slice(0, count);
      const runId = (run ??= newRunId());
      inspected = serveInspect(b, workers.inspect, () => ({ v: 1, role: 'runner', id: station.id, run: runId, workers: [...inRun].map((c) => c.id), channels: channelRows(station.channels) }));
      const p = (ports = new NatsPorts(b, new RunSubjects(prefix, runId), station.id, { timers: options.timers, ...(options.confirmMs === undefined ? {} : { confirmMs: options.confirmMs }) }));
      // Connects the station to worker `id` over a new link, then asks the worker into the run.
      const e = (enter = async (id: string): Promise<PeerConnection> => {
        const session = newSession();
        const link = natsLink(p, id, {
          session,
          timers: options.timers,
          leaseMs: options.leaseMs ?? 5_000,
          heartbeatMs: options.heartbeatMs ?? 500,
        });
        const connection = station.connect(link, {
          peer: id,
          description: `NATS worker "${id}"`,
          mark: (error) => markError(error, 'worker', id),
          lostError: (cause) => (cause instanceof WorkerLostError ? cause : new WorkerLostError(id, cause)),
        });
        connections.push(connection);
        inRun.add(connection);
        connection.onLost(() => inRun.delete(connection));
        try {
          await join(b, workers, id, runId, station.id, session);
        } catch (error) {
          connections.splice(connections.indexOf(connection), 1);
          inRun.delete(connection);
          connection.close();
          throw error;
        }
        return connection;
      });
      const peers: PeerConnection[] = [];
      try {
        for (const worker of chosen) peers.push(await e(worker.id));
      } catch (error) {
        await close();
        throw error;
      }
      started = true;
      return peers;
    },
    async recruit(most: number): Promise<readonly Peer[]> {
      if (enter === null || bus === null) return [];
      const there = new Set([...inRun].map((c) => c.id));
      let available: Announcement[];
      try {
        available = await discover(bus, workers, options.discoverMs ?? 1_000);
      } catch {
        return [];
      }
      const added: PeerConnection[] = [];
      for (const worker of available.filter((a) => !there.has(a.id)).slice(0, most)) {
        try {
          added.push(await enter(worker.id));
        } catch {
          // Refused, or gone again (its link is dropped): it may be asked next time.
        }
      }
      return added;
    },
    async route(a: Peer, b: Peer): Promise<void> {
      if (bus === null || run === null) throw new Error('a route between NATS workers is asked for before the run started');
      await Promise.all([routeTo(bus, workers, a.id, run, b.id), routeTo(bus, workers, b.id, run, a.id)]);
    },
    close,
    async durable(fault) {
      bus ??= await connectBus(options);
      run ??= newRunId();
      durable ??= new DurableChannels(durableStore(bus, options.timers), prefix, run, options.timers, fault);
      return durable;
    },
  };
}

/**
 * How many workers a run started now would get: those that answer discovery and have room, at
 * most `most`. One connection and one discovery, then closed (a futures pool asks it once, to
 * size its farm before it starts).
 */
export async function availableWorkers(options: Omit<NatsHostOptions, 'timers'>, most: number): Promise<number> {
  const prefix = options.prefix ?? 'cspflow';
  const bus = await connectBus(options);
  try {
    const available = await discover(bus, new WorkerSubjects(prefix), options.discoverMs ?? 1_000);
    if (available.length === 0) throw new NoWorkersError(prefix, `none answered on ${options.servers.toString()} within ${options.discoverMs ?? 1_000} ms`);
    return Math.min(most, available.length);
  } finally {
    await bus.close();
  }
}

/** The longest the end of a run waits for its workers to answer a last ping. */
const SETTLE_MS = 1_000;

/**
 * Waits (at most SETTLE_MS) for every live worker to answer a ping: everything sent to it is then
 * acknowledged, so closing its link says goodbye at once and the worker drops the run now. Without
 * it the goodbye waits for acknowledgements that the closing connection never receives, and the
 * worker finds the runner gone only after `confirmMs`. A lost worker answers nothing and is not
 * waited for.
 */
async function settled(connections: readonly PeerConnection[], timers: LinkTimers): Promise<void> {
  let cancel: () => void = () => {};
  const late = new Promise<void>((resolve) => {
    cancel = timers.setTimer(SETTLE_MS, resolve);
  });
  await Promise.race([Promise.allSettled(connections.map((c) => c.settle())), late]);
  cancel();
}

/** Every worker that answers and has room, least loaded first. */
async function discover(bus: NatsBus, workers: WorkerSubjects, maxWaitMs: number): Promise<Announcement[]> {
  const answers = await bus.gather(workers.discover, encodeControl({ v: 1 }), { maxWaitMs, stallMs: Math.min(100, maxWaitMs) });
  const found: Announcement[] = [];
  for (const answer of answers) {
    const a = parseAnnouncement(answer.data);
    if (a !== null && !a.draining && (a.capacity === 0 || a.running < a.capacity)) found.push(a);
  }
  const load = (a: Announcement): number => (a.capacity === 0 ? a.running / 1e6 : a.running / a.capacity);
  return found.sort((a, b) => load(a) - load(b) || a.id.localeCompare(b.id));
}

/** Asks worker `id` to open a direct route to worker `peer` in run `run` (record 0014). */
async function routeTo(bus: NatsBus, workers: WorkerSubjects, id: string, run: string, peer: string): Promise<void> {
  let reply;
  try {
    reply = await bus.request(workers.route(id), encodeControl({ v: 1, run, peer }), 5_000);
  } catch (error) {
    throw new WorkerRefusedError(id, `it did not answer the request for a route to worker "${peer}" (${error instanceof Error ? error.message : String(error)})`);
  }
  const answer = parseJoinReply(reply.data);
  if (answer === null) throw new WorkerRefusedError(id, 'its answer to the route request was malformed');
  if (!answer.ok) throw new WorkerRefusedError(id, answer.error);
}

async function join(bus: NatsBus, workers: WorkerSubjects, id: string, run: string, runner: string, session: number): Promise<void> {
  let reply;
  try {
    reply = await bus.request(workers.join(id), encodeControl({ v: 1, run, runner, session }), 5_000);
  } catch (error) {
    throw new WorkerRefusedError(id, `it did not answer the join request (${error instanceof Error ? error.message : String(error)})`);
  }
  const answer = parseJoinReply(reply.data);
  if (answer === null) throw new WorkerRefusedError(id, 'its answer to the join request was malformed');
  if (!answer.ok) throw new WorkerRefusedError(id, answer.error);
}
