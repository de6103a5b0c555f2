/**
 * Durable channels of one run, as the runner makes them: a JetStream stream per channel
 * (work-queue retention, R3 when the servers are clustered, a duplicate window longer than any
 * retry), one durable pull consumer all readers share, and two control channels living in the
 * runner's station (durable-end.ts).
 *
 * The bound: on a single replica, `max_msgs` = the channel's buffer over GROUP_VALUES (values travel
 * many to a message) with `discard: new`. On a
 * replicated stream, nats-server 2.9 mishandles publishes refused by that limit (reproduced: after
 * refusals under two concurrent publishers, a stored message is never delivered and acknowledged
 * sequence numbers shift), so a replicated stream is unbounded and its writers keep the bound
 * (durable-writer.ts). Ends
 * for processes here are made directly; a process on a worker is given a marked argument the
 * worker turns into a durable end over its own connection (`adoptDurable`).
 *
 * When the consumer gives up on a value (`max_deliver` deliveries, never acknowledged), the
 * channel is poisoned with DeliveryExhaustedError and the run is told: nothing is lost silently
 * and nothing hangs. Streams are deleted when the run ends.
 */
import type { Codec } from '../../codec/codec.js';
import type { Channel } from '../../core/chan.js';
import type { Reader, Writer } from '../../core/ends.js';
import { EndRequest } from '../../remote/peer.js';
import type { LinkTimers } from '../../remote/reliable-link.js';
import type { Station } from '../../remote/station.js';
import { GROUP_BYTES, GROUP_VALUES } from './durable-batch.js';
import { DurableReader } from './durable-reader.js';
import { DURABLE_END, parseDurableSpec, type DurableSpec } from './durable-spec.js';
import { DurableWriter, RETRY_SPAN_MS } from './durable-writer.js';
import { DeliveryExhaustedError, DurableAbandonedError } from './errors.js';
import type { DurableStore } from './jetstream-client.js';
import type { BusSubscription } from './nats-client.js';
import { checkToken } from './subjects.js';

/** The durable pull consumer every reader of a channel shares. */
const CONSUMER = 'readers';

/** How one durable channel keeps its values. */
export interface DurableSettings {
  /** The channel's buffer, in values (the stream's max_msgs is that in messages). */
  readonly capacity: number;
  /** How long a reader may hold a value without extending its lease. */
  readonly ackWaitMs: number;
  /** Deliveries of one value before the channel is poisoned. */
  readonly maxDeliver: number;
  /** Stream replicas wanted (1 where the server is not clustered). */
  readonly replicas: number;
  /** The stream's max_bytes, or null for no byte bound. */
  readonly maxBytes: number | null;
}

/** A durable channel made: ends for processes here, and the argument for an end at a worker. */
export interface MadeDurable {
  readonly channel: Channel<unknown>;
  remote(side: 'reader' | 'writer'): unknown;
  /**
   * Keeps `side` present for a process that will be restarted if its worker is lost: while held,
   * the loss of that worker's ends does not tell the other side that this one left (no end of
   * stream for readers, no "nobody reads" for writers), and the restarted process can be given
   * ends again. Returns what lets go (a retirement).
   */
  hold(side: 'reader' | 'writer'): () => void;
}

export class DurableChannels {
  private count = 0;
  private readonly streams: string[] = [];
  /** Each channel's name and stream. */
  private readonly names: [string, string][] = [];
  private readonly subs: BusSubscription[] = [];
  /** Each channel's control channels poisoned with an error. */
  private readonly poisons: ((error: Error) => void)[] = [];

  constructor(
    private readonly store: DurableStore,
    private readonly prefix: string,
    private readonly run: string,
    private readonly timers: LinkTimers,
    /** Told of a value the consumer gave up on: the run fails with it. */
    private readonly fault: (error: Error) => void,
  ) {}

  async make(station: Station, name: string, codec: Codec<unknown>, settings: DurableSettings): Promise<MadeDurable> {
    const i = this.count++;
    const stream = `${checkToken('subject prefix', this.prefix)}_${this.run}_${i}`;
    const duplicateWindowMs = Math.max(120_000, 2 * RETRY_SPAN_MS, 2 * settings.ackWaitMs * (settings.maxDeliver + 1));
    const subject = `${this.prefix}.run.${this.run}.durable.${i}`;
    // Values travel many to a message (durable-batch.ts): the buffer, in values, bounds the messages
    // stored to buffer / GROUP_VALUES; a byte bound keeps messages to an eighth of it.
    const capacity = Math.max(1, Math.ceil(settings.capacity / GROUP_VALUES));
    const messageBytes = settings.maxBytes === null ? GROUP_BYTES : Math.max(1, Math.min(GROUP_BYTES, Math.floor(settings.maxBytes / 8)));
    const replicas = await this.store.ensureStream({ name: stream, subject, maxMsgs: capacity, maxBytes: settings.maxBytes, replicas: settings.replicas, duplicateWindowMs });
    this.streams.push(stream);
    this.names.push([name, stream]);
    const spec = {
      channel: name,
      stream,
      subject,
      consumer: CONSUMER,
      ackWaitMs: settings.ackWaitMs,
      maxDeliver: settings.maxDeliver,
      codec: codec.name,
      capacity,
      messageBytes,
      writersBound: replicas > 1,
    };
    await this.store.ensureConsumer({ stream: spec.stream, durable: spec.consumer, ackWaitMs: settings.ackWaitMs, maxDeliver: settings.maxDeliver });
    // Control: `writers` is read (watched) by readers and held by writers; `readers` the reverse.
    const controls = { lossRetires: true } as const;
    const writers = station.channel({ name: `${name}#writers` }, codec, controls);
    const readers = station.channel({ name: `${name}#readers` }, codec, controls);
    const poison = (error: Error): void => {
      for (const c of [writers, readers]) station.homeOf(c)?.core.poison(error, { channel: name });
    };
    this.poisons.push(poison);
    this.subs.push(
      this.store.onExhausted(spec.stream, spec.consumer, (seq) => {
        const error = new DeliveryExhaustedError(name, seq, settings.maxDeliver);
        poison(error);
        this.fault(error);
      }),
    );
    const parts = (side: 'reader' | 'writer'): { spec: DurableSpec; watch: Channel<unknown>; presence: Channel<unknown> } =>
      side === 'reader' ? { spec: { ...spec, side }, watch: writers, presence: readers } : { spec: { ...spec, side }, watch: readers, presence: writers };
    const local = (side: 'reader' | 'writer'): DurableReader<unknown> | DurableWriter<unknown> => {
      const p = parts(side);
      const made = { spec: p.spec, store: this.store, codec, watch: p.watch.reader(), presence: p.presence.writer(), timers: this.timers };
      return side === 'reader' ? new DurableReader(made) : new DurableWriter(made);
    };
    const channel: Channel<unknown> = {
      name,
      reader: () => local('reader') as Reader<unknown>,
      writer: () => local('writer') as Writer<unknown>,
    };
    return {
      channel,
      remote: (side) => {
        const p = parts(side);
        return [DURABLE_END, p.spec, new EndRequest(p.watch, 'reader'), new EndRequest(p.presence, 'writer')];
      },
      hold: (side) => {
        // Both control ends: a control channel one side of which has wholly retired takes no new
        // end of that side, so the restarted process could not be given its own.
        const p = parts(side);
        const held = [p.watch.reader(), p.presence.writer()];
        return () => {
          for (const end of held) end.retire();
        };
      },
    };
  }

  /** The run cannot go on (no worker back in time, a process that cannot be restarted lost): every channel is poisoned with `cause`. */
  abandon(cause: Error): void {
    for (const poison of this.poisons) poison(cause);
  }

  /**
   * Every process has ended: throws DurableAbandonedError for the first channel whose stream still
   * holds unfinished values, so a run whose readers all left early never completes as if nothing
   * were lost. (A process's last acknowledgement may still be on its way when it has ended: a
   * stream not empty is asked again for up to ~2 s.)
   */
  async verify(): Promise<void> {
    for (const [name, stream] of this.names) {
      let left = await this.store.unfinished(stream, CONSUMER);
      for (let tries = 0; left > 0 && tries < 20; tries++) {
        await new Promise((resolve) => this.timers.setTimer(100, () => resolve(undefined)));
        left = await this.store.unfinished(stream, CONSUMER);
      }
      if (left > 0) throw new DurableAbandonedError(name, left);
    }
  }

  /** The run is over: advisories unsubscribed, streams deleted (best effort: a stream left behind is only storage). */
  async close(): Promise<void> {
    for (const sub of this.subs.splice(0)) sub.unsubscribe();
    await Promise.allSettled(this.streams.splice(0).map((s) => this.store.deleteStream(s)));
  }
}

/**
 * At a worker: `arg` turned into a durable end if it is a marked durable argument, else `arg`
 * itself. Throws (the spawn fails) for a malformed one or an unknown codec.
 */
export function adoptDurable(arg: unknown, store: () => DurableStore, codecs: ReadonlyMap<string, Codec<unknown>>, timers: LinkTimers): unknown {
  if (!Array.isArray(arg) || arg[0] !== DURABLE_END) return arg;
  const spec = parseDurableSpec(arg[1]);
  if (spec === null || arg.length !== 4) throw new TypeError('a durable end argument was malformed');
  const codec = codecs.get(spec.codec);
  if (codec === undefined) throw new Error(`durable channel "${spec.channel}" uses codec "${spec.codec}", which is not registered in this worker`);
  const made = { spec, store: store(), codec, watch: arg[2] as Reader<unknown>, presence: arg[3] as Writer<unknown>, timers };
  return spec.side === 'reader' ? new DurableReader(made) : new DurableWriter(made);
}
