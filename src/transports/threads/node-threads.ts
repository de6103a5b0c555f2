/**
 * Everything this library takes from `node:worker_threads`, in one file: starting a worker, the
 * worker's view of its start, and a Wire over a MessagePort (each message's bytes are transferred,
 * not copied).
 */
import { MessageChannel, type MessagePort, Worker, isMainThread, threadId, workerData } from 'node:worker_threads';
import type { Wire } from '../../remote/wire.js';

/** The largest message between two threads (a MessagePort has no limit of its own). */
const THREAD_MESSAGE_BYTES = 2 ** 30;

/** A Wire over one MessagePort. It is lost only when the transport says so (`lose`): a thread's death is seen by its Worker. */
export class PortWire implements Wire {
  readonly maxMessageBytes = THREAD_MESSAGE_BYTES;
  private lostHandler: ((cause: Error) => void) | null = null;
  private closed = false;

  constructor(private readonly port: MessagePort) {}

  send(message: Uint8Array): void {
    if (this.closed) return;
    this.port.postMessage(message, [message.buffer as ArrayBuffer]);
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.port.on('message', handler);
  }

  onLost(handler: (cause: Error) => void): void {
    this.lostHandler = handler;
  }

  /** The thread at the other end is gone. */
  lose(cause: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.lostHandler?.(cause);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
  }
}

/** Two connected ports: one for this thread, one to transfer to a worker. */
export function portPair(): { readonly here: MessagePort; readonly there: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  return { here: port1, there: port2 };
}

/** A started worker thread. */
export interface WorkerHandle {
  readonly threadId: number;
  /** Called once if the thread dies: an uncaught error, or an exit nobody asked for. */
  onDeath(handler: (cause: Error | number) => void): void;
  terminate(): Promise<void>;
}

export function startWorker(entry: URL, data: unknown, transfer: readonly MessagePort[], execArgv: readonly string[]): WorkerHandle {
  const worker = new Worker(entry, { workerData: data, transferList: [...transfer], execArgv: [...execArgv] });
  let stopping = false;
  let dead = false;
  const handlers: ((cause: Error | number) => void)[] = [];
  const die = (cause: Error | number): void => {
    if (dead) return;
    dead = true;
    for (const h of handlers) h(cause);
  };
  worker.on('error', (error) => die(error));
  worker.on('exit', (code) => {
    if (!stopping) die(code);
  });
  return {
    threadId: worker.threadId,
    onDeath: (handler) => handlers.push(handler),
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

export type { MessagePort };
