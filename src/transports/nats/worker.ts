/**
 * A NATS worker (what `cspflow worker` runs): it loads the modules it was started with, answers
 * discovery under the prefix, and joins the runs that ask it — each run a station of its own,
 * connected to that run's runner by a reliable link — running the processes the runner places on
 * it. It runs only processes registered from its modules; a name from the wire is looked up,
 * never imported.
 *
 * Stopping (SIGTERM): it withdraws its announcement and refuses new runs, gives back the values
 * its durable ends hold (their processes end at their next operation, as by retirement), lets
 * running processes end within the grace period, then interrupts them — their channel operations fail with a
 * WorkerStoppingError, so each ends and reports it — and closes.
 *
 * A runner that goes away (its link lost: gone, silent beyond the lease) takes its run with it:
 * the run's processes here fail on their next channel operation. Nothing is left running. A
 * runner that lost this worker (a server outage beyond the lease) may ask it to join the same run
 * again, over a new link: the worker drops what it still held of the run and takes part anew.
 *
 * A runner may ask it to open a direct route to another worker of a run (record 0014): a reliable
 * link between the two, over the run's own subjects, joined to the run's station.
 */
import { loadModules } from '../../remote/load-modules.js';
import type { PeerConnection } from '../../remote/peer.js';
import { newRegistry, type Registry } from '../../remote/registry.js';
import type { LinkTimers } from '../../remote/reliable-link.js';
import { Station } from '../../remote/station.js';
import { markError } from '../../remote/wire-errors.js';
import { encodeControl, parseDiscover, parseJoin, parseRoute } from './control.js';
import { registerNatsErrors, WorkerLostError, WorkerStoppingError } from './errors.js';
import { channelRows, serveInspect, type WorkerReport } from './inspect.js';
import { connectBus, type BusMessage, type BusSubscription, type NatsBus, type NatsConnectOptions } from './nats-client.js';
import { natsLink } from './nats-link.js';
import { NatsPorts } from './nats-ports.js';
import { newSession } from './random.js';
import { checkToken, RunSubjects, WorkerSubjects } from './subjects.js';
import { adoptDurable } from './durable-channel.js';
import { DurableEnd } from './durable-end.js';
import { durableStore, type DurableStore } from './jetstream-client.js';

export interface NatsWorkerOptions extends NatsConnectOptions {
  /** Module URLs (`file:` URLs or specifiers) whose exported processes and codecs this worker runs. */
  readonly modules: readonly string[];
  /** This worker's id, unique under the prefix (letters, digits, `_`, `-`). */
  readonly id: string;
  readonly prefix?: string;
  /** The most processes running here at once; 0 for no limit. Default 0. */
  readonly concurrency?: number;
  /** A runner silent this long is gone. Default 5000 ms. */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  readonly confirmMs?: number;
  readonly timers: LinkTimers;
}

export interface NatsWorker {
  readonly id: string;
  /** The process names this worker runs. */
  readonly processes: readonly string[];
  /** Processes running here now. */
  readonly running: number;
  /** Runs this worker takes part in now. */
  readonly runs: number;
  /** Calls `handler` with every connection status change (disconnected, reconnected, …). */
  readonly bus: Pick<NatsBus, 'onStatus'>;
  /**
   * Stops: no new runs; waits up to `graceMs` for running processes to end, then interrupts them.
   * Resolves with whether every process ended within the grace period.
   */
  stop(graceMs: number): Promise<{ readonly drained: boolean }>;
}

interface Run {
  readonly ports: NatsPorts;
  readonly connection: PeerConnection;
  readonly runner: string;
  /** The session of the runner's link, as its join named it. */
  readonly session: number;
  readonly station: Station;
  /** How many instances of each process name run here now, for `cspflow inspect`. */
  readonly processes: Map<string, number>;
}

/** Loads the modules, connects, and starts answering. Rejects if a module fails to load or NATS refuses the connection. */
export async function startNatsWorker(options: NatsWorkerOptions): Promise<NatsWorker> {
  const id = checkToken('worker id', options.id);
  const concurrency = options.concurrency ?? 0;
  if (!Number.isInteger(concurrency) || concurrency < 0) throw new RangeError(`worker concurrency must be an integer >= 0 (0: no limit), got ${concurrency}`);
  const registry = newRegistry();
  await loadModules(options.modules, registry);
  const bus = await connectBus({ ...options, name: options.name ?? `cspflow worker ${id}` });
  return new Worker(id, bus, registry, concurrency, options);
}

class Worker implements NatsWorker {
  private readonly runsById = new Map<string, Run>();
  private readonly subs: BusSubscription[];
  private readonly subjects: WorkerSubjects;
  private draining = false;
  running = 0;

  constructor(
    readonly id: string,
    readonly bus: NatsBus,
    private readonly registry: Registry,
    private readonly concurrency: number,
    private readonly options: NatsWorkerOptions,
  ) {
    this.subjects = new WorkerSubjects(options.prefix ?? 'cspflow');
    this.subs = [
      bus.subscribe(this.subjects.discover, (m) => this.announce(m)),
      bus.subscribe(this.subjects.join(id), (m) => this.join(m)),
      bus.subscribe(this.subjects.route(id), (m) => this.route(m)),
      serveInspect(bus, this.subjects.inspect, () => this.report()),
    ];
  }

  get processes(): readonly string[] {
    return [...this.registry.processes.keys()];
  }

  get runs(): number {
    return this.runsById.size;
  }

  private announce(m: BusMessage): void {
    if (m.reply === undefined || !parseDiscover(m.data)) return;
    this.bus.publish(
      m.reply,
      encodeControl({ v: 1, id: this.id, processes: this.processes, capacity: this.concurrency, running: this.running, draining: this.draining }),
    );
  }

  private report(): WorkerReport {
    const runs = [...this.runsById].map(([run, r]) => ({
      run,
      runner: r.runner,
      processes: [...r.processes].map(([name, count]) => ({ name, count })),
      channels: channelRows(r.station.channels),
    }));
    return { v: 1, role: 'worker', id: this.id, capacity: this.concurrency, running: this.running, draining: this.draining, processes: this.processes, runs };
  }

  private join(m: BusMessage): void {
    if (m.reply === undefined) return;
    const request = parseJoin(m.data);
    const refuse = (error: string): void => this.bus.publish(m.reply as string, encodeControl({ v: 1, ok: false, error }));
    if (request === null) return refuse('the join request was malformed');
    if (this.draining) return refuse('it is stopping');
    const current = this.runsById.get(request.run);
    if (current !== undefined) {
      // The same join asked again (its answer was lost): already in.
      if (current.session === request.session) return this.bus.publish(m.reply, encodeControl({ v: 1, ok: true }));
      // The runner lost this worker (a server outage beyond the lease) before this worker lost it,
      // and asks it back over a new link: what ran here under the old one is gone for the runner.
      current.connection.lose(new Error(`the runner of run ${request.run} lost this worker and asked it back`));
      this.forget(request.run, current);
    }
    try {
      this.open(request.run, request.runner, request.session);
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
    }
    this.bus.publish(m.reply, encodeControl({ v: 1, ok: true }));
  }

  /** Opens a direct route to another worker of a run this worker takes part in. */
  private route(m: BusMessage): void {
    if (m.reply === undefined) return;
    const request = parseRoute(m.data);
    const answer = (error: string | null): void => this.bus.publish(m.reply as string, encodeControl(error === null ? { v: 1, ok: true } : { v: 1, ok: false, error }));
    if (request === null) return answer('the route request was malformed');
    const r = this.runsById.get(request.run);
    if (r === undefined) return answer(`it takes no part in run ${request.run}`);
    if (r.station.connections.some((c) => c.id === request.peer)) return answer(null);
    try {
      const peer = checkToken('peer id', request.peer);
      const link = natsLink(r.ports, peer, this.linkOptions());
      r.station.connect(link, {
        peer,
        description: `NATS worker "${peer}"`,
        mark: (error) => markError(error, 'worker', peer),
        lostError: (cause) => (cause instanceof WorkerLostError ? cause : new WorkerLostError(peer, cause)),
      });
    } catch (error) {
      return answer(error instanceof Error ? error.message : String(error));
    }
    answer(null);
  }

  private linkOptions(): Parameters<typeof natsLink>[2] {
    return { session: newSession(), timers: this.options.timers, leaseMs: this.options.leaseMs ?? 5_000, heartbeatMs: this.options.heartbeatMs ?? 500 };
  }

  /** Takes part in run `run`: a station connected to its runner. */
  private open(run: string, runner: string, session: number): void {
    const station = new Station({ id: this.id, registry: this.registry });
    registerNatsErrors(station.errors);
    const processes = new Map<string, number>();
    station.admission = (name) => {
      const release = this.admit(name);
      processes.set(name, (processes.get(name) ?? 0) + 1);
      return () => {
        release();
        const left = (processes.get(name) ?? 1) - 1;
        if (left === 0) processes.delete(name);
        else processes.set(name, left);
      };
    };
    station.adopt = (arg) => {
      const made = adoptDurable(arg, () => this.store(), this.registry.codecs, this.options.timers);
      if (made instanceof DurableEnd) this.durableEnds.add(made);
      return made;
    };
    const ports = new NatsPorts(this.bus, new RunSubjects(this.options.prefix ?? 'cspflow', run), this.id, {
      timers: this.options.timers,
      ...(this.options.confirmMs === undefined ? {} : { confirmMs: this.options.confirmMs }),
    });
    const link = natsLink(ports, checkToken('runner id', runner), this.linkOptions());
    const connection = station.connect(link, { peer: runner, description: `the runner of run ${run}` });
    const taken: Run = { ports, connection, runner, session, station, processes };
    connection.onLost(() => this.forget(run, taken));
    this.runsById.set(run, taken);
  }

  private durable: DurableStore | null = null;
  /** Durable ends made here (told when the worker stops: they give their values back at once). */
  private readonly durableEnds = new Set<DurableEnd>();

  /** The JetStream store for durable ends (made on first use). */
  private store(): DurableStore {
    return (this.durable ??= durableStore(this.bus, this.options.timers));
  }

  /** Drops `taken`, once: a run taken again since (the runner asked this worker back) is another entry. */
  private forget(run: string, taken: Run): void {
    if (this.runsById.get(run) !== taken) return;
    this.runsById.delete(run);
    // Its routes to other workers end with it.
    for (const c of taken.station.connections) if (c !== taken.connection) c.close();
    taken.ports.close();
  }

  private admit(name: string): () => void {
    if (this.draining) throw new WorkerStoppingError(this.id, 0);
    if (this.concurrency > 0 && this.running >= this.concurrency) {
      throw new RangeError(`NATS worker "${this.id}" already runs ${this.running} processes, its --concurrency; "${name}" was refused`);
    }
    this.running++;
    return () => {
      this.running--;
    };
  }

  async stop(graceMs: number): Promise<{ readonly drained: boolean }> {
    this.draining = true;
    for (const sub of this.subs) sub.unsubscribe();
    for (const end of this.durableEnds) end.stopTaking();
    const runs = [...this.runsById.values()];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    // Drained: every process ended and every durable end finished its publishes and acknowledgements.
    const idle = Promise.all(runs.map((r) => r.connection.idle())).then(() => Promise.all([...this.durableEnds].map((end) => end.settled())));
    const drained = await Promise.race([idle.then(() => true as const), graceOver]);
    clearTimeout(timer);
    if (!drained) {
      const error = new WorkerStoppingError(this.id, graceMs);
      for (const r of runs) r.connection.interrupt(error);
      // Interrupted processes end at their next channel operation and report it; one that never
      // touches a channel again cannot be stopped from here, and is left to the process exit.
      await Promise.race([Promise.all(runs.map((r) => r.connection.idle())), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    }
    for (const r of runs) {
      r.connection.flush();
      r.connection.close();
      r.ports.close();
    }
    this.runsById.clear();
    await this.bus.close();
    return { drained };
  }
}
