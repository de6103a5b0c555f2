/**
 * Peers and hosts: what a runtime sees of the places its processes run, whatever carries the
 * messages. A Peer is one other place (a worker thread, a worker process on another machine): it
 * runs registered processes by name, homes channels, and reports its own death. A Host gives a
 * runtime its peers for one run (starts a thread pool; later, finds workers over NATS) and ends
 * them afterwards. Placement (src/runtime/remote.ts) is written once over these two.
 */
import type { WaitReport } from './wait-report.js';
import type { Channel } from '../core/chan.js';
import type { HomeChannels } from './home-channels.js';
import type { RemoteChannelSpec } from './proxy-table.js';
import type { Side } from './protocol.js';
import type { Wire } from './wire.js';
import type { ErrorTable } from './wire-errors.js';

/** A peer's id: opaque, unique among the peers of a run (`main`, `worker 3`, a NATS worker name). */
export type PeerId = string;

/**
 * A placeholder for an end to be made for a process spawned at a peer: of `channel` (one living
 * in the spawning station, or at that very peer), for `side`. The spawn makes the end where it
 * belongs and holds it for the process.
 */
export class EndRequest {
  constructor(
    readonly channel: Channel<unknown>,
    readonly side: Side,
  ) {}
}

/** An end made for a spawned process, as the spawner can still act on it (a graceful stop retires a source's ends). */
export interface SpawnedEnd {
  readonly side: Side;
  retire(): void;
}

/** A process started at a peer. */
export interface Spawned {
  /** Settles as a `par` of that one process would: resolves, or rejects with its error (naming the process, and the peer). */
  readonly done: Promise<void>;
  readonly ends: readonly SpawnedEnd[];
}

/** Another place taking part in a run. */
export interface Peer {
  readonly id: PeerId;
  /**
   * Runs the process registered there as `name` with `args`: plain values (copied by the value
   * codec) and EndRequests, directly or inside an array argument. Throws at once for an argument
   * that cannot cross; a name the peer does not know rejects `done`, and so does one the peer
   * registered from another file than `site` (where the spawner's process was defined), if given.
   */
  spawn(name: string, args: readonly unknown[], site?: string): Spawned;
  /** A channel living at the peer, made now (optimistically); its ends here are proxies. */
  channel<T>(spec: RemoteChannelSpec<T>): Channel<T>;
  /** Resolves once the peer has handled everything sent to it before, and gone idle. */
  settle(): Promise<void>;
  /** `handler` is told once, with the cause, if the peer is lost (it crashed, the link broke). */
  onLost(handler: (cause: Error) => void): void;
  /** Sends what is queued and closes the link (the peer itself is ended by its host). */
  close(): void;
  /** The peer's waits, for deadlock detection across stations (answered once it is idle). */
  askWaits(): Promise<WaitReport>;
  /** The peer's processes named by `aliases` are deadlocked: their operations fail with `error`. */
  tellDeadlock(aliases: readonly string[], error: Error): void;
}

/** How a station connects to a peer over a wire. */
export interface ConnectOptions {
  /** The peer's id. */
  readonly peer: PeerId;
  /** The peer in words, for errors (`worker 3`); default: its id. */
  readonly description?: string;
  /** Names the peer on an error that came from it (threads: sets `worker`). */
  readonly mark?: (error: unknown) => void;
  /** The error the peer's loss is reported as, given the cause (threads: WorkerCrashedError). */
  readonly lostError?: (cause: unknown) => Error;
  /** Runs a task after the current turn of the event loop (default: setImmediate); a link flushes on it. */
  readonly defer?: (task: () => void) => void;
}

/** A peer as the transport that connected it sees it. */
export interface PeerConnection extends Peer {
  /** The peer is gone (the transport saw it die): its ends are poisoned with `lostError(cause)`, its processes fail. */
  lose(cause: unknown): void;
  /** Holds what arrives until `resume` (a worker not ready to serve yet). */
  pause(): void;
  resume(): void;
  /** Sends everything queued now (before the peer is stopped). */
  flush(): void;
  /** Every operation of this side's proxies fails with `error` from now on; the link stays open so processes can report how they ended. */
  interrupt(error: Error): void;
  /** Resolves once no process the peer spawned here is running. */
  idle(): Promise<void>;
  /** This side cannot serve at all (its modules failed to load): tells the peer, which loses it, and closes. */
  abandon(error: unknown): void;
}

/** A station as a transport sees it: where it connects wires. */
export interface Connector {
  readonly id: PeerId;
  /** The channels living in this station (what a transport reports when asked what runs where). */
  readonly channels: HomeChannels;
  /** The station's error table: a transport registers its own errors here. */
  readonly errors: ErrorTable;
  connect(wire: Wire, options: ConnectOptions): PeerConnection;
}

/** Gives a runtime its peers for one run. */
/** What a host tells the run about its transport, for observers. */
export interface HostEvents {
  /** The transport's connection is up, down, or reconnecting (detail: which server, why). */
  connection(status: 'up' | 'down' | 'reconnecting', detail?: string): void;
}

export interface Host {
  /**
   * Up to `count` peers (at least 1, and at least one is given or it rejects) connected to
   * `station`, each able to run the processes of the modules the host was made with.
   */
  start(station: Connector, count: number, events?: HostEvents): Promise<readonly Peer[]>;
  /**
   * Up to `most` more peers for a run already started: places that joined since, or came back
   * after being lost (a NATS worker back with its server), connected to the station `start` was
   * given; none is an answer. Absent: a run never gains peers.
   */
  recruit?(most: number): Promise<readonly Peer[]>;
  /** Ends the peers this host started (the run is over). */
  close(): Promise<void>;
  /**
   * Joins two of its peers directly for this run (record 0014), so an end in one reaches a channel
   * living in the other without a hop through the runner; settles (if it returns a promise) once
   * both have been asked, rejecting if one refused. A peer may see the route after a spawn that
   * needs it (it waits for it). Absent: the host's topology is a star around the runner.
   */
  route?(a: Peer, b: Peer): Promise<void> | void;
  /**
   * Calls `listener` whenever nothing is in flight between the peers (a simulated network, whose
   * runs must replay exactly), with the messages every link of the run has carried so far (routes
   * between peers included, detection's own aside: see Link.sentCount); returns what stops it.
   * Absent: deadlock detection across stations runs on a timer instead.
   */
  whenQuiet?(listener: (traffic: number) => void): () => void;
}
