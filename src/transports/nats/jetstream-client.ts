/**
 * Everything cspflow takes from the JetStream client, in one file: a work-queue stream per durable
 * channel, one shared durable pull consumer, publishing with a message id (the server drops a
 * repeat of an id within the stream's duplicate window), taking one message at a time with its
 * delivery count — or many in one pull (`fetch`) — and acknowledging (confirmed by the server),
 * refusing (NAK) or extending the lease (`working`) of a held message. The rest of the transport is written against `DurableStore`.
 *
 * Contract: `publish` never throws for a full stream — it answers `full`, and the writer decides
 * how to wait; every other failure (a timeout during a leader election, no responders while the
 * server restarts) throws, and the caller retries with the same id.
 *
 * An acknowledgement is confirmed by the server, retried until it is (within ACK_SPAN_MS). The
 * messages finished here are remembered by message id (the last FINISHED_MEMORY of them): one
 * reaching this connection again — redelivered while its acknowledgement was unconfirmed, or lost
 * by a server restarting from its store; or stored again because that restart also forgot the
 * duplicate window's ids of messages already consumed — was finished already: it is
 * acknowledged and not handed out twice.
 */
import { AckPolicy, DiscardPolicy, jetstream, JetStreamApiError, jetstreamManager, RetentionPolicy, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { LinkTimers } from '../../remote/reliable-link.js';
import { connectionOf, type BusSubscription, type NatsBus } from './nats-client.js';

export interface StreamSpec {
  readonly name: string;
  /** The one subject the stream stores. */
  readonly subject: string;
  /**
   * The most messages stored, a publish beyond it refused (`discard: new`) — on a stream of one
   * replica only; a replicated stream is made unbounded (see durable-channel.ts).
   */
  readonly maxMsgs: number;
  /**
   * The most bytes stored (`max_bytes`, `discard: new`; a publish beyond it is refused as `full`),
   * null or absent for none — on a stream of one replica only, for the reason above.
   */
  readonly maxBytes?: number | null;
  /** Replicas wanted; a server that is not clustered gets 1. */
  readonly replicas: number;
  readonly duplicateWindowMs: number;
}

export interface ConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
}

/** A message taken from the consumer and not yet acknowledged. */
export interface HeldMessage {
  /** Its sequence number in the stream (the same on every redelivery). */
  readonly seq: number;
  /**
   * Its message id (the id it was published with): the same on every redelivery, and on every
   * copy of one publish the stream stored (a publish retried across a restart that forgot the id).
   */
  readonly id: string;
  /** How many times it has been delivered, this time included. */
  readonly deliveries: number;
  readonly data: Uint8Array;
  /** Acknowledges it; resolves once the server confirmed, rejects if it could not. */
  ack(): Promise<void>;
  /** Gives it back for redelivery: at once, or after `delayMs`. */
  nak(delayMs?: number): void;
  /** Extends its lease by the consumer's ack wait. */
  working(): void;
}

export type PublishResult = { readonly kind: 'stored'; readonly seq: number; readonly duplicate: boolean } | { readonly kind: 'full' };

export interface DurableStore {
  /** Makes the stream (or finds it made with the same settings); the replicas actually used. */
  ensureStream(spec: StreamSpec): Promise<number>;
  ensureConsumer(spec: ConsumerSpec): Promise<void>;
  deleteStream(name: string): Promise<void>;
  publish(subject: string, data: Uint8Array, msgId: string, stream: string, timeoutMs: number): Promise<PublishResult>;
  /** The next message, or null if none came within `expiresMs`. */
  next(stream: string, durable: string, expiresMs: number): Promise<HeldMessage | null>;
  /**
   * One pull of up to `max` messages: each is handed to `take` as it arrives; resolves once `max`
   * came or `expiresMs` (at least 1 s) passed, or `signal` aborted it, with how many were handed
   * over. Abort a pull given up: the client pulls again for every pull still open when its
   * connection comes back, so one left open takes messages for a reader that gave up on it.
   */
  fetch(stream: string, durable: string, max: number, expiresMs: number, take: (m: HeldMessage) => void, signal?: AbortSignal): Promise<number>;
  /**
   * Messages in the stream: in a work-queue stream, those not yet acknowledged (waiting, held, or
   * delivered to a reader that died with them) — and any acknowledged ones a killed server left
   * behind (see `unfinished`).
   */
  stored(stream: string): Promise<number>;
  /**
   * Messages in the stream not yet finished: `stored`, once the messages at or below the ack floor
   * of consumer `durable` are dropped. Every one of those was acknowledged, yet a server killed
   * with SIGKILL can keep some in a work-queue stream: it had written the consumer's ack floor to
   * its store but not their removal, and after its restart they sit there for good (the consumer
   * never delivers at or below its floor), keeping the stream from ever looking empty or — at its
   * bound — from taking another message. Nothing is dropped while the consumer counts a
   * redelivered message: a message given up after `max_deliver` stays counted there, while the
   * floor may pass it. Zero means every value stored was finished.
   */
  unfinished(stream: string, durable: string): Promise<number>;
  /** Calls `handler` with the stream sequence of every message the consumer gave up on (max_deliver). */
  onExhausted(stream: string, durable: string, handler: (seq: number) => void): BusSubscription;
  readonly maxPayload: number;
}

/** How long an acknowledgement is retried before its message is left to the ack wait. */
const ACK_SPAN_MS = 30_000;
const ACK = new TextEncoder().encode('+ACK');
const FINISHED_MEMORY = 65_536;
/** The most stream sequences one `unfinished` call deletes (its callers ask again). */
const DROP_AT_ONCE = 1_024;

/** JetStream's error code for a stream at its message or byte limit (`discard: new`). */
const MAXIMUM_MESSAGES_EXCEEDED = 10077;
/** "replicas > 1 not supported in non-clustered mode". */
const REPLICAS_NOT_SUPPORTED = 10074;

export function durableStore(bus: NatsBus, timers: LinkTimers): DurableStore {
  const nc = connectionOf(bus);
  const js: JetStreamClient = jetstream(nc, { timeout: 5_000 });
  let manager: Promise<JetStreamManager> | null = null;
  // No API check: it asks the account info of the metadata leader, which may be being elected (its
  // server killed) at a connection's first call, while the stream asked about has a leader. A
  // manager that failed anyway is not kept: one refusal must not fail every later call (a reader
  // asking forever whether its stream is empty, never told).
  const jsm = (): Promise<JetStreamManager> => {
    if (manager === null) {
      const made = jetstreamManager(nc, { timeout: 5_000, checkAPI: false });
      made.catch(() => {
        if (manager === made) manager = null;
      });
      manager = made;
    }
    return manager;
  };
  const consumers = new Map<string, Promise<Consumer>>();
  /** `<stream>:<seq>` of the messages finished here (acknowledged, or being acknowledged), oldest first. */
  const finished = new Set<string>();
  const keyOf = (stream: string, m: JsMsg): string => `${stream}:${m.headers?.get('Nats-Msg-Id') || String(m.seq)}`;
  const ack = async (stream: string, m: JsMsg): Promise<boolean> => {
    const reply = (m as unknown as { readonly reply?: unknown }).reply;
    if (typeof reply !== 'string') return false;
    const key = keyOf(stream, m);
    finished.add(key);
    if (finished.size > FINISHED_MEMORY) finished.delete(finished.values().next().value as string);
    let wait = 50;
    for (let spent = 0; spent < ACK_SPAN_MS; spent += wait, wait = Math.min(wait * 2, 2_000)) {
      try {
        await nc.request(reply, ACK, { timeout: 2_000 });
        return true;
      } catch {
        await new Promise((resolve) => timers.setTimer(wait, () => resolve(undefined)));
      }
    }
    return false;
  };
  const consumer = (stream: string, durable: string): Promise<Consumer> => {
    const key = `${stream}/${durable}`;
    let c = consumers.get(key);
    if (c === undefined) {
      c = js.consumers.get(stream, durable);
      consumers.set(key, c);
      c.catch(() => consumers.delete(key));
    }
    return c;
  };
  return {
    get maxPayload() {
      return bus.maxPayload;
    },
    async ensureStream(spec) {
      const m = await jsm();
      const config = {
        name: spec.name,
        subjects: [spec.subject],
        retention: RetentionPolicy.Workqueue,
        discard: DiscardPolicy.New,
        duplicate_window: spec.duplicateWindowMs * 1_000_000,
      };
      try {
        if (spec.replicas > 1) {
          await m.streams.add({ ...config, max_msgs: -1, num_replicas: spec.replicas });
          return spec.replicas;
        }
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== REPLICAS_NOT_SUPPORTED) throw error;
      }
      await m.streams.add({ ...config, max_msgs: spec.maxMsgs, max_bytes: spec.maxBytes ?? -1, num_replicas: 1 });
      return 1;
    },
    async ensureConsumer(spec) {
      const m = await jsm();
      await m.consumers.add(spec.stream, {
        durable_name: spec.durable,
        ack_policy: AckPolicy.Explicit,
        ack_wait: spec.ackWaitMs * 1_000_000,
        max_deliver: spec.maxDeliver,
      });
    },
    async deleteStream(name) {
      const m = await jsm();
      await m.streams.delete(name);
    },
    async publish(subject, data, msgId, stream, timeoutMs) {
      try {
        const ack = await js.publish(subject, data, { msgID: msgId, expect: { streamName: stream }, timeout: timeoutMs });
        return { kind: 'stored', seq: ack.seq, duplicate: ack.duplicate };
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === MAXIMUM_MESSAGES_EXCEEDED) return { kind: 'full' };
        throw error;
      }
    },
    async next(stream, durable, expiresMs) {
      for (;;) {
        const m = await (await consumer(stream, durable)).next({ expires: expiresMs });
        if (m === null) return null;
        if (!finished.has(keyOf(stream, m))) return held(m, () => ack(stream, m));
        void ack(stream, m);
      }
    },
    async fetch(stream, durable, max, expiresMs, take, signal) {
      let n = 0;
      const batch = await (await consumer(stream, durable)).fetch({ max_messages: max, expires: Math.max(1_000, expiresMs) });
      const stop = (): void => void batch.stop();
      if (signal?.aborted === true) stop();
      else signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const m of batch) {
          if (finished.has(keyOf(stream, m))) void ack(stream, m);
          else {
            n++;
            take(held(m, () => ack(stream, m)));
          }
        }
      } finally {
        signal?.removeEventListener('abort', stop);
      }
      return n;
    },
    async stored(stream) {
      const m = await jsm();
      const info = await m.streams.info(stream);
      return info.state.messages;
    },
    async unfinished(stream, durable) {
      const m = await jsm();
      // The consumer first: a message acknowledged between the two answers, its removal then
      // already seen, is not taken for a leftover.
      const c = await m.consumers.info(stream, durable);
      const { state } = await m.streams.info(stream);
      const floor = Math.min(c.ack_floor.stream_seq, state.first_seq + DROP_AT_ONCE - 1);
      if (state.messages === 0 || c.num_redelivered > 0 || state.first_seq > floor) return state.messages;
      // One message at a time: a purge would also clear the consumer's record of the messages
      // delivered and not yet acknowledged (nats-server 2.9), so none held by a reader that dies
      // would come back. The floor only rises: every message at or below it was acknowledged (one
      // already removed is simply not found).
      for (let seq = state.first_seq; seq <= floor; seq++) await m.streams.deleteMessage(stream, seq, false).catch(() => false);
      return (await m.streams.info(stream)).state.messages;
    },
    onExhausted(stream, durable, handler) {
      return bus.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durable}`, (m) => {
        const advisory = JSON.parse(new TextDecoder().decode(m.data)) as { stream_seq?: unknown };
        if (typeof advisory.stream_seq === 'number') handler(advisory.stream_seq);
      });
    },
  };
}

function held(m: JsMsg, ack: () => Promise<boolean>): HeldMessage {
  return {
    seq: m.seq,
    id: m.headers?.get('Nats-Msg-Id') || `#${m.seq}`,
    deliveries: m.info.deliveryCount,
    data: m.data,
    async ack() {
      if (!(await ack())) throw new Error(`the server did not confirm the acknowledgement of message ${m.seq}`);
    },
    nak: (delayMs) => m.nak(delayMs),
    working: () => m.working(),
  };
}
