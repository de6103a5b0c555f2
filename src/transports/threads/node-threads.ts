/**
 * Everything this library takes from `node:worker_threads`, in one file: starting a worker,
 * the worker's view of its start, and a Wire — an ordered message port plus a side door for
 * synchronous requests (tryRead, tryWrite, making an end), which block the asking thread with
 * Atomics.wait until the other thread answers on a dedicated port.
 *
 * Contract: a thread never makes a synchronous request to a thread that may itself be blocked
 * in one towards it (homes answer; only the thread holding proxies asks).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker, isMainThread, workerData } from 'node:worker_threads';

/** One side of a wire, as sent to the thread that will use it. */
export interface WireSide {
  readonly port: MessagePort;
  /** Answers to this side's synchronous requests arrive here (never listened to). */
  readonly syncIn: MessagePort;
  /** This side's answers to the other side's synchronous requests go here. */
  readonly syncOut: MessagePort;
  readonly flagIn: SharedArrayBuffer;
  readonly flagOut: SharedArrayBuffer;
}

export class Wire {
  private readonly flagIn: Int32Array;
  private readonly flagOut: Int32Array;

  constructor(private readonly side: WireSide) {
    this.flagIn = new Int32Array(side.flagIn);
    this.flagOut = new Int32Array(side.flagOut);
  }

  send(batch: unknown[]): void {
    this.side.port.postMessage(batch);
  }

  onBatch(handler: (batch: unknown[]) => void): void {
    this.side.port.on('message', handler);
  }

  /** Posts `batch` (its last frame a synchronous request) and blocks until the answer comes. */
  request(batch: unknown[]): unknown {
    Atomics.store(this.flagIn, 0, 0);
    this.side.port.postMessage(batch);
    for (;;) {
      Atomics.wait(this.flagIn, 0, 0, 1000);
      const got = receiveMessageOnPort(this.side.syncIn);
      if (got !== undefined) return got.message;
    }
  }

  /** Answers the other side's pending synchronous request. */
  answer(reply: unknown): void {
    this.side.syncOut.postMessage(reply);
    Atomics.store(this.flagOut, 0, 1);
    Atomics.notify(this.flagOut, 0);
  }

  /** Lets the thread exit even though the port is open (a pool idle between runs). */
  unref(): void {
    this.side.port.unref();
  }

  ref(): void {
    this.side.port.ref();
  }

  close(): void {
    this.side.port.close();
    this.side.syncIn.close();
    this.side.syncOut.close();
  }
}

/** Two connected wire sides, and what must be transferred to send the second one. */
export function wirePair(): { a: WireSide; b: WireSide; transfer: MessagePort[] } {
  const main = new MessageChannel();
  const toA = new MessageChannel();
  const toB = new MessageChannel();
  const flagA = new SharedArrayBuffer(4);
  const flagB = new SharedArrayBuffer(4);
  const a: WireSide = { port: main.port1, syncIn: toA.port1, syncOut: toB.port2, flagIn: flagA, flagOut: flagB };
  const b: WireSide = { port: main.port2, syncIn: toB.port1, syncOut: toA.port2, flagIn: flagB, flagOut: flagA };
  return { a, b, transfer: [main.port2, toB.port1, toA.port2] };
}

/** A started worker thread. */
export interface WorkerHandle {
  readonly threadId: number;
  /** Called once if the thread dies: an uncaught error, or an exit nobody asked for. */
  onDeath(handler: (cause: Error | number) => void): void;
  terminate(): Promise<void>;
  unref(): void;
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
    unref: () => worker.unref(),
  };
}

/** In a worker thread: the data it was started with; null on the main thread. */
export function startData(): unknown {
  return isMainThread ? null : workerData;
}
