/**
 * Everything cspflow takes from the NATS client, in one file: connecting (credentials and TLS
 * passed through untouched), publishing, subscribing, request/reply, and connection status —
 * as a small `NatsBus` the rest of the transport is written against.
 *
 * Contract: a handler given to `subscribe` may throw; the error goes to `onFault` and the
 * subscription keeps delivering (the client would otherwise end the subscription silently).
 */
import { connect, createInbox, errors, type NatsConnection, type Status } from '@nats-io/transport-node';
import { NatsConnectError } from './errors.js';
import { redact } from './redact.js';

/** Connection options, passed through to the NATS client. */
export interface NatsConnectOptions {
  /** One URL or several (`nats://host:port`); a cluster's other members are learnt from the server. */
  readonly servers: string | readonly string[];
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** TLS options as the NATS client takes them (`{ caFile, certFile, keyFile, … }`). */
  readonly tls?: Record<string, unknown>;
  /** Client name shown by the server's monitoring. */
  readonly name?: string;
  /** Give up connecting after this long (first connect). Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Wait between reconnect attempts. Default 250 ms. */
  readonly reconnectWaitMs?: number;
}

/** What the connection is doing, in our words. */
export type BusStatus =
  | { readonly kind: 'disconnected'; readonly server: string }
  | { readonly kind: 'reconnected'; readonly server: string }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'slow-consumer'; readonly subject: string; readonly pending: number }
  | { readonly kind: 'closed' };

export interface BusSubscription {
  unsubscribe(): void;
}

export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly reply: string | undefined;
  /** A server status carried in headers: 503 when a message with a reply subject found no subscriber. */
  readonly status: number | undefined;
}

export interface NatsBus {
  /** The server's largest payload, in bytes. */
  readonly maxPayload: number;
  publish(subject: string, data: Uint8Array, reply?: string): void;
  subscribe(subject: string, handler: (message: BusMessage) => void, options?: { readonly queue?: string }): BusSubscription;
  /** One request; rejects with NoRespondersError at once when nobody listens, TimeoutError after `timeoutMs`. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<BusMessage>;
  /**
   * Asks everyone listening on `subject` and gathers the answers: until `stallMs` pass without a
   * new one after the first, or `maxWaitMs` in all.
   */
  gather(subject: string, data: Uint8Array, options: { readonly maxWaitMs: number; readonly stallMs: number }): Promise<BusMessage[]>;
  /** A fresh inbox subject for replies. */
  inbox(): string;
  /** Resolves once the server has processed everything published so far. */
  flush(): Promise<void>;
  onStatus(handler: (status: BusStatus) => void): void;
  /** Called with errors thrown by subscription handlers (they never end a subscription). */
  onFault(handler: (error: unknown) => void): void;
  /** Flushes, then closes. */
  close(): Promise<void>;
}

/** How long closing waits for what is queued to be flushed. */
const CLOSE_FLUSH_MS = 2_000;

/** Nobody was subscribed to a request's subject. */
export const isNoResponders = (error: unknown): boolean => error instanceof errors.NoRespondersError;
/** The server refused the credentials. */
const isAuthError = (error: unknown): boolean =>
  (error instanceof NatsConnectError && error.refused) || error instanceof errors.AuthorizationError || error instanceof errors.UserAuthenticationExpiredError;
/** The first connection could not be made (refused, unreachable, timed out). */
const isConnectError = (error: unknown): boolean =>
  (error instanceof NatsConnectError && !error.refused) || error instanceof errors.ConnectionError || error instanceof errors.TimeoutError;

/** Words for a failure to reach NATS (no connection, or credentials refused), or null for any other error. */
export function unreachableWords(error: unknown, servers: string): string | null {
  if (error instanceof NatsConnectError) return redact(error.message);
  const message = redact(error instanceof Error ? error.message : String(error));
  if (isAuthError(error)) return `NATS at ${servers} refused the credentials (${message})`;
  if (isConnectError(error)) return `cannot connect to NATS at ${servers}: ${message}`;
  return null;
}
/** A request got no answer in time. */
export const isTimeout = (error: unknown): boolean => error instanceof errors.TimeoutError;

const connections = new WeakMap<NatsBus, NatsConnection>();

/** The client connection under `bus`, for the JetStream client (jetstream-client.ts) alone. */
export function connectionOf(bus: NatsBus): NatsConnection {
  const nc = connections.get(bus);
  if (nc === undefined) throw new TypeError('connectionOf(bus): not a bus made by connectBus');
  return nc;
}

/** Connects to NATS; rejects with the client's error (auth, unreachable) after `timeoutMs`. */
/** Connects; a first connection that fails is a NatsConnectError naming the servers (credentials hidden). */
export async function connectBus(options: NatsConnectOptions): Promise<NatsBus> {
  const nc = await connect({
    servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.pass === undefined ? {} : { pass: options.pass }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.name === undefined ? {} : { name: options.name }),
    timeout: options.timeoutMs ?? 2_000,
    reconnectTimeWait: options.reconnectWaitMs ?? 250,
    maxReconnectAttempts: -1,
    waitOnFirstConnect: false,
  }).catch((error: unknown) => {
    if (!isAuthError(error) && !isConnectError(error)) throw error;
    throw new NatsConnectError(redact(String(options.servers)), isAuthError(error), error);
  });
  const bus = new Bus(nc);
  connections.set(bus, nc);
  return bus;
}

class Bus implements NatsBus {
  private readonly statusHandlers: ((status: BusStatus) => void)[] = [];
  private readonly faultHandlers: ((error: unknown) => void)[] = [];

  constructor(private readonly nc: NatsConnection) {
    void this.watch();
  }

  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  publish(subject: string, data: Uint8Array, reply?: string): void {
    this.nc.publish(subject, data, reply === undefined ? undefined : { reply });
  }

  subscribe(subject: string, handler: (message: BusMessage) => void, options: { readonly queue?: string } = {}): BusSubscription {
    const sub = this.nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error !== null) {
          this.fault(error);
          return;
        }
        try {
          handler({ subject: msg.subject, data: msg.data, reply: msg.reply, status: msg.headers?.code });
        } catch (thrown) {
          this.fault(thrown);
        }
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<BusMessage> {
    const msg = await this.nc.request(subject, data, { timeout: timeoutMs });
    return { subject: msg.subject, data: msg.data, reply: msg.reply, status: msg.headers?.code };
  }

  inbox(): string {
    return createInbox();
  }

  gather(subject: string, data: Uint8Array, options: { readonly maxWaitMs: number; readonly stallMs: number }): Promise<BusMessage[]> {
    return new Promise((resolve) => {
      const got: BusMessage[] = [];
      const inbox = createInbox();
      let stall: ReturnType<typeof setTimeout> | null = null;
      const finish = (): void => {
        clearTimeout(overall);
        if (stall !== null) clearTimeout(stall);
        sub.unsubscribe();
        resolve(got);
      };
      const sub = this.subscribe(inbox, (m) => {
        if (m.status !== undefined) return;
        got.push(m);
        if (stall !== null) clearTimeout(stall);
        stall = setTimeout(finish, options.stallMs);
      });
      const overall = setTimeout(finish, options.maxWaitMs);
      this.nc.publish(subject, data, { reply: inbox });
    });
  }

  flush(): Promise<void> {
    return this.nc.flush();
  }

  onStatus(handler: (status: BusStatus) => void): void {
    this.statusHandlers.push(handler);
  }

  onFault(handler: (error: unknown) => void): void {
    this.faultHandlers.push(handler);
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    // A connection waiting to reconnect (its server gone, or now refusing the credentials) would
    // flush only once reconnected, maybe never: the flush is waited for CLOSE_FLUSH_MS at most.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_FLUSH_MS);
    });
    await Promise.race([
      this.nc.flush().catch(() => {
        // Closing anyway: a connection that cannot flush has nothing more to deliver.
      }),
      late,
    ]);
    clearTimeout(timer);
    await this.nc.close();
  }

  private fault(error: unknown): void {
    for (const handler of this.faultHandlers) handler(error);
  }

  private emit(status: BusStatus): void {
    for (const handler of this.statusHandlers) {
      try {
        handler(status);
      } catch (error) {
        this.fault(error);
      }
    }
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      const ours = translate(s);
      if (ours !== null) this.emit(ours);
    }
    this.emit({ kind: 'closed' });
  }
}

function translate(s: Status): BusStatus | null {
  switch (s.type) {
    case 'disconnect':
      return { kind: 'disconnected', server: s.server };
    case 'reconnect':
      return { kind: 'reconnected', server: s.server };
    case 'error':
      return { kind: 'error', error: s.error };
    case 'slowConsumer':
      return { kind: 'slow-consumer', subject: s.sub.getSubject(), pending: s.pending };
    default:
      return null;
  }
}
