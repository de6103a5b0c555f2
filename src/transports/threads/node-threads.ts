/**
 * Everything this library takes from `node:worker_threads` (and `node:os`), in one file: starting
 * a worker, the worker's view of its start and of the links it is given, and a Wire over a
 * MessagePort (a small message crosses as a string, a big one's buffer is moved, not copied; the
 * buffers of values the user moved go as its transfer list; after sending to another thread it
 * spins a while for the answer before sleeping: doorbell.ts).
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker, isMainThread, parentPort, receiveMessageOnPort, threadId, workerData } from 'node:worker_threads';
import type { Wire } from '../../remote/wire.js';
import { addMailbox, expectAnswer, removeMailbox, ring, THREAD_BELL, type Mailbox } from './doorbell.js';

/** The largest message between two threads (a MessagePort has no limit of its own). */
const THREAD_MESSAGE_BYTES = 2 ** 30;
/** Messages this big or bigger have their buffer transferred rather than copied (as a string). */
const TRANSFER_FROM = 16 * 1024;

type Posted = string | Uint8Array | { readonly message: Uint8Array; readonly moved: readonly ArrayBuffer[] } | { readonly bell: SharedArrayBuffer; readonly thread: number };

/**
 * A Wire over one MessagePort. It is lost only when the transport says so (`lose`): a thread's
 * death is seen by its Worker. Its first message tells the peer this thread's doorbell; once the
 * peer's has arrived, every send rings it and spins for the answer (doorbell.ts).
 */
export class PortWire implements Wire, Mailbox {
  readonly maxMessageBytes = THREAD_MESSAGE_BYTES;
  readonly moves = true;
  private lostHandler: ((cause: Error) => void) | null = null;
  private handler: ((message: Uint8Array, moved?: readonly ArrayBuffer[]) => void) | null = null;
  private closed = false;
  /** The peer thread's doorbell (null until told, and when the peer is this thread). */
  private peerBell: Int32Array | null = null;

  constructor(private readonly port: MessagePort) {
    port.postMessage({ bell: THREAD_BELL.buffer, thread: threadId } satisfies Posted);
  }

  send(message: Uint8Array, transfer?: readonly ArrayBuffer[]): void {
    if (this.closed) return;
    if (transfer !== undefined) {
      const own = message.length < TRANSFER_FROM ? [] : [message.buffer as ArrayBuffer];
      this.port.postMessage({ message, moved: transfer }, [...own, ...transfer]);
    } else if (message.length < TRANSFER_FROM) {
      // A small message crosses as a one-byte string (a byte per character): posting a string costs
      // a third of posting a Uint8Array, whose buffer the receiver must allocate. A big one is moved.
      this.port.postMessage(Buffer.from(message.buffer, message.byteOffset, message.length).toString('latin1'));
    } else {
      this.port.postMessage(message, [message.buffer as ArrayBuffer]);
    }
    const bell = this.peerBell;
    if (bell !== null) {
      ring(bell);
      expectAnswer();
    }
  }

  onMessage(handler: (message: Uint8Array, moved?: readonly ArrayBuffer[]) => void): void {
    this.handler = handler;
    this.port.on('message', (message: Posted) => this.deliver(message));
    addMailbox(this);
  }

  drain(): boolean {
    if (this.closed || this.handler === null) return false;
    let any = false;
    for (let got = receiveMessageOnPort(this.port); got !== undefined; got = this.closed ? undefined : receiveMessageOnPort(this.port)) {
      any = true;
      this.deliver(got.message as Posted);
    }
    return any;
  }

  private deliver(message: Posted): void {
    const handler = this.handler;
    if (handler === null) return;
    if (typeof message === 'string') handler(Buffer.from(message, 'latin1'));
    else if (message instanceof Uint8Array) handler(message);
    else if ('bell' in message) this.peerBell = message.thread === threadId ? null : new Int32Array(message.bell);
    else handler(message.message, message.moved);
  }

  onLost(handler: (cause: Error) => void): void {
    this.lostHandler = handler;
  }

  /** Told once when the other side closes its port (the run that used this link is over). */
  onClosed(handler: () => void): void {
    this.port.once('close', handler);
  }

  /** The thread at the other end is gone. */
  lose(cause: Error): void {
    if (this.closed) return;
    this.closed = true;
    removeMailbox(this);
    this.lostHandler?.(cause);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    removeMailbox(this);
    this.port.close();
  }
}

/** Two connected ports: one for this thread, one to transfer to a worker. */
export function portPair(): { readonly here: MessagePort; readonly there: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  return { here: port1, there: port2 };
}

/** The other end of a direct route between two workers: its peer id in the run, and its thread. */
export interface RouteTo {
  readonly peer: string;
  readonly thread: number;
}

/** A started worker thread. It does not keep this process alive by itself (the ports of a run in progress do). */
export interface WorkerHandle {
  readonly threadId: number;
  /** Called once if the thread dies: an uncaught error, or an exit nobody asked for. */
  onDeath(handler: (cause: Error | number) => void): void;
  /**
   * Gives the worker one end of a new link of run `run` (the worker serves it: worker-host.ts):
   * the run's link to this thread, or with `route`, a direct route to another worker of that run.
   */
  link(port: MessagePort, run: number, route?: RouteTo): void;
  terminate(): Promise<void>;
}

/** The default pool size: what Node says this machine can run in parallel. */
export function defaultPoolSize(): number {
  return availableParallelism();
}

/** Starts a worker thread at `entry`; `execArgv` null: it inherits this thread's Node options. */
export function startWorker(entry: URL, data: unknown, execArgv: readonly string[] | null): WorkerHandle {
  const worker = new Worker(entry, { workerData: data, ...(execArgv === null ? {} : { execArgv: [...execArgv] }) });
  let stopping = false;
  let dead = false;
  const handlers: ((cause: Error | number) => void)[] = [];
  const die = (cause: Error | number): void => {
    if (dead) return;
    dead = true;
    for (const h of handlers) h(cause);
  };
  worker.unref();
  worker.on('error', (error) => die(error));
  worker.on('exit', (code) => {
    if (!stopping) die(code);
  });
  return {
    threadId: worker.threadId,
    onDeath: (handler) => handlers.push(handler),
    link: (port, run, route) => worker.postMessage({ link: port, run, route }, [port]),
    terminate: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

/** In a worker thread: the data it was started with, and its thread id; null on the main thread. */
export function startData(): { readonly data: unknown; readonly threadId: number } | null {
  return isMainThread ? null : { data: workerData, threadId };
}

/** In a worker thread: calls `handler` with each link's port the main thread gives it, and what it is for (WorkerHandle.link). */
export function onLink(handler: (port: MessagePort, run: number, route: RouteTo | undefined) => void): void {
  parentPort?.on('message', (message: { readonly link?: MessagePort; readonly run: number; readonly route?: RouteTo }) => {
    if (message.link !== undefined) handler(message.link, message.run, message.route);
  });
}

export type { MessagePort };
