/**
 * A farm worker: the process a Task gives (`task.<name>`), run by the pool in as many replicas as
 * the runtime has workers. It reads chunks of inputs from its task's jobs channel, runs the task
 * on each, and sends the outcomes back; on its control channel it gets nested outcomes, shared
 * constants and cancels.
 *
 * Help while waiting — why nested tasks cannot deadlock the pool: an item whose body waits on
 * tasks it submitted is *parked*: it does not count against `concurrency`, so its farm worker
 * keeps reading and running other items (its children among them, or anyone's). A farm worker
 * stops reading only while `concurrency` items run that wait on nothing they submitted; such items
 * progress on their own. So every submitted item is eventually read and run, the deepest first,
 * and by induction up the tree of submissions every item settles — provided each task body,
 * apart from awaiting its own futures, terminates. The driver and the control loops only ever
 * wait to read, so outcomes always flow back.
 *
 * What a body submits of this farm worker's own task waits in its own queue (local-first.ts): run
 * here newest first whenever fewer than `concurrency` unparked items run, the oldest shared with
 * the task's other farm workers. The argument above holds for it: an item in that queue is run as
 * soon as there is room, which items that terminate make.
 *
 * Invariants:
 * - active = items running asynchronously with nothing outstanding (ItemContext.counted);
 * - a chunk is asked for only while active < concurrency, no read chunk waits at the gate and the
 *   own queue is empty, so at most one chunk read ahead waits beside those running;
 * - `held` has every chunk read whose outcomes are not all gathered; `remembered` the cancels of
 *   chunks not read yet (ids above `lastRead`; this worker reads ids in increasing order).
 */
import type { Reader, Writer } from '../core/ends.js';
import { RetiredError } from '../core/errors.js';
import { rejectUncarriable } from '../codec/codec.js';
import { ChunkReport } from './chunk-report.js';
import { ItemContext, type FarmHost } from './context.js';
import { CancelledError } from './errors.js';
import { Gate } from './gate.js';
import { LocalFirst, travelled, type LocalItem } from './local-first.js';
import { checkControl, checkJob, type BackMessage, type ControlMessage, type JobChunk } from './messages.js';
import { Outbox } from './outbox.js';
import { Submitter } from './submitter.js';
import { toRecord, type ErrorRecord, type FailedAt } from './task-error.js';
import type { FarmSetup, TaskContext } from './types.js';
import { WorkerRequester } from './worker-requester.js';

type Body = (this: TaskContext, ...args: unknown[]) => unknown;

/** Work (ms) the farm worker's own queue is run for in one turn before it lets messages in. */
const PUMP_MS = 2;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

export class Farm implements FarmHost {
  private active = 0;
  private waiting = 0;
  private readonly gate = new Gate();
  private readonly held = new Map<number, ChunkReport>();
  private readonly remembered = new Set<number>();
  private lastRead = 0;
  private readonly dirty = new Set<ChunkReport>();
  private flushQueued = false;
  private running = 0;
  private idle: (() => void) | null = null;
  readonly constants: Map<string, unknown>;
  readonly outbox: Outbox<BackMessage>;
  readonly requester: WorkerRequester;
  readonly submitter: Submitter;
  private readonly local: LocalFirst;
  private pumping = false;
  private pumpQueued = false;
  /** When this turn began running own items (performance.now()), or -1. */
  private burst = -1;
  readonly worker: number;
  private readonly at: FailedAt;
  private failure: { readonly error: unknown } | null = null;

  constructor(
    readonly taskName: string,
    private readonly fn: Body,
    private readonly jobs: Reader<JobChunk>,
    back: Writer<BackMessage>,
    private readonly control: Reader<ControlMessage>,
    private readonly setup: FarmSetup,
  ) {
    this.worker = setup.worker;
    this.at = { task: taskName, worker: setup.worker };
    this.constants = new Map(Object.entries(setup.constants));
    this.outbox = new Outbox(back, (error) => {
      this.failure ??= { error };
    });
    this.requester = new WorkerRequester(setup.tasks, setup.id, this.outbox);
    // With one farm worker for the task there is nobody to share with.
    this.local = new LocalFirst(taskName, setup.peers > 1 ? setup.peers : 0, this.requester, this.pump);
    this.submitter = new Submitter(this.local);
  }

  /** Serves until the driver retires the jobs and control channels; then ends. */
  async run(): Promise<void> {
    // Caught here so a failure of one loop never goes unhandled while the other is awaited.
    const controlled = this.serveControl().catch((error: unknown) => {
      this.failure ??= { error };
    });
    await this.serveJobs();
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await controlled;
    await this.outbox.close();
    if (this.failure !== null) throw this.failure.error;
  }

  count(delta: 1 | -1): void {
    this.active += delta;
    if (delta < 0) this.pump();
  }

  orphans(n: number): void {
    this.outbox.push({ k: 'o', o: this.setup.id, n });
  }

  /** True while another chunk may be read: room to run one, and nothing of this farm worker's own waiting. */
  private get open(): boolean {
    return this.active < this.setup.concurrency && this.waiting === 0 && this.local.size === 0;
  }

  /**
   * Runs this farm worker's own queued items while there is room, newest first; then wakes the
   * gate. Once this turn has run PUMP_MS of them (items that end call this again from a
   * microtask, so without a check a whole queue would run in one turn), the rest waits for the
   * next turn: the outcomes of shared items (and with them more sharing) and cancels get in
   * between long items.
   */
  private readonly pump = (): void => {
    if (this.pumping) return;
    if (this.local.size > 0) this.runOwn();
    this.gate.open();
  };

  private runOwn(): void {
    if (this.burst < 0) {
      this.burst = performance.now();
      setImmediate(this.endBurst);
    }
    this.pumping = true;
    try {
      while (this.active < this.setup.concurrency && this.local.size > 0) {
        if (performance.now() - this.burst > PUMP_MS) {
          this.pumpLater();
          break;
        }
        const item = this.local.take();
        if (item === null) break;
        this.runLocal(item);
      }
    } finally {
      this.pumping = false;
    }
  }

  private readonly endBurst = (): void => {
    this.burst = -1;
  };

  private pumpLater(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /**
   * Reads chunks and starts them. The next read is sent before a chunk runs (when the gate is
   * open), so the round trip to the jobs channel overlaps the work: one chunk ahead at most.
   */
  private async serveJobs(): Promise<void> {
    let next: Promise<unknown> | null = null;
    for (;;) {
      if (next === null) {
        while (!this.open) await this.gate.wait();
        next = this.jobs.read();
      }
      let chunk: JobChunk;
      try {
        chunk = checkJob(this.jobs.channelName, await next);
      } catch (error) {
        if (error instanceof RetiredError && error.why === 'writers-retired') return;
        throw error;
      }
      next = this.open ? this.jobs.read() : null;
      this.start(chunk);
    }
  }

  private async serveControl(): Promise<void> {
    for (;;) {
      let batch: ControlMessage[];
      try {
        batch = await this.control.readMany(64);
      } catch (error) {
        if (error instanceof RetiredError && error.why === 'writers-retired') return;
        throw error;
      }
      for (const m of batch) this.controlled(checkControl(this.control.channelName, m));
    }
  }

  private controlled(m: ControlMessage): void {
    if (m.k === 'r') this.requester.outcomes(m);
    else if (m.k === 'c') {
      this.constants.set(m.name, m.value);
      this.outbox.push({ k: 'a', o: this.setup.id, name: m.name });
    } else {
      for (const c of m.c) {
        const report = this.held.get(c);
        if (report !== undefined) this.cancel(report);
        else if (c > this.lastRead) this.remembered.add(c);
      }
    }
  }

  private cancel(report: ChunkReport): void {
    report.cancelled = true;
    for (const item of report.running) item.abort(new CancelledError(this.taskName));
  }

  private start(chunk: JobChunk): void {
    this.lastRead = chunk.c;
    const report = new ChunkReport(chunk.c, chunk.xs.length, performance.now(), chunk.o === this.setup.id);
    if (report.cameBack) this.local.cameBack(report.n);
    if (this.remembered.size > 0) {
      if (this.remembered.has(chunk.c)) report.cancelled = true;
      for (const c of this.remembered) if (c <= chunk.c) this.remembered.delete(c);
    }
    this.held.set(chunk.c, report);
    this.runFrom(chunk, report, 0);
  }

  /** Runs the chunk's items from `from` on, pausing at the gate when `concurrency` items run. */
  private runFrom(chunk: JobChunk, report: ChunkReport, from: number): void {
    const { xs, s } = chunk;
    for (let pos = from; pos < xs.length; pos++) {
      if (report.cancelled) {
        report.skip(pos);
        continue;
      }
      if (this.active >= this.setup.concurrency) {
        this.waiting++;
        void this.resume(chunk, report, pos);
        break;
      }
      this.runItem(xs[pos], s, report, pos);
    }
    this.report(report);
  }

  private async resume(chunk: JobChunk, report: ChunkReport, pos: number): Promise<void> {
    while (this.active >= this.setup.concurrency) await this.gate.wait();
    this.waiting--;
    this.runFrom(chunk, report, pos);
    if (this.waiting === 0) this.gate.open();
  }

  private runItem(input: unknown, spread: 0 | 1, report: ChunkReport, pos: number): void {
    const ctx = new ItemContext(this);
    let result: unknown;
    try {
      result = spread === 1 ? this.fn.apply(ctx, input as unknown[]) : this.fn.call(ctx, input);
    } catch (error) {
      ctx.finished();
      report.fail(pos, toRecord(error, this.at));
      return;
    }
    if (!isThenable(result)) {
      ctx.finished();
      this.outcome(report, pos, result);
      return;
    }
    this.running++;
    report.running.add(ctx);
    ctx.startedAsync();
    result.then(
      (value) => this.settled(ctx, report, pos, true, value),
      (error: unknown) => this.settled(ctx, report, pos, false, error),
    );
  }

  /** Runs an item of this farm worker's own queue; its outcome goes straight to its sink. */
  private runLocal(item: LocalItem): void {
    const ctx = new ItemContext(this);
    const input = travelled(item.input);
    let result: unknown;
    try {
      result = item.spread === 1 ? this.fn.apply(ctx, input as unknown[]) : this.fn.call(ctx, input);
    } catch (error) {
      ctx.finished();
      item.sink.failed(item.pos, travelled(toRecord(error, this.at)));
      return;
    }
    if (!isThenable(result)) {
      ctx.finished();
      this.deliver(item, result);
      return;
    }
    this.running++;
    ctx.startedAsync();
    result.then(
      (value) => this.localSettled(ctx, item, true, value),
      (error: unknown) => this.localSettled(ctx, item, false, error),
    );
  }

  private localSettled(ctx: ItemContext, item: LocalItem, ok: boolean, value: unknown): void {
    ctx.finished();
    if (ok) this.deliver(item, value);
    else item.sink.failed(item.pos, travelled(toRecord(value, this.at)));
    if (--this.running === 0) this.idle?.();
  }

  private deliver(item: LocalItem, value: unknown): void {
    const failure = this.uncarriable(value);
    if (failure === null) item.sink.value(item.pos, travelled(value));
    else item.sink.failed(item.pos, travelled(failure));
  }

  private settled(ctx: ItemContext, report: ChunkReport, pos: number, ok: boolean, value: unknown): void {
    ctx.finished();
    report.running.delete(ctx);
    if (ok) this.outcome(report, pos, value);
    else report.fail(pos, toRecord(value, this.at));
    this.dirty.add(report);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    if (--this.running === 0) this.idle?.();
  }

  /** A result goes back only if it can cross to the main thread; otherwise the item fails saying why. */
  private outcome(report: ChunkReport, pos: number, value: unknown): void {
    const failure = this.uncarriable(value);
    if (failure === null) report.ok(pos, value);
    else report.fail(pos, failure);
  }

  /** The record of the error a result that cannot travel fails its item with; null if it can. */
  private uncarriable(value: unknown): ErrorRecord | null {
    if (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol') return null;
    try {
      rejectUncarriable(value);
      return null;
    } catch (cause) {
      const error = new TypeError(`task "${this.taskName}" returned a value that cannot be sent back: ${(cause as Error).message}`, { cause });
      return toRecord(error, this.at);
    }
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    for (const report of this.dirty) this.report(report);
    this.dirty.clear();
  };

  /** Sends what `report` gathered; forgets the chunk once complete. */
  private report(report: ChunkReport): void {
    const message = report.take(performance.now());
    if (message !== null) this.outbox.push(message);
    if (report.left === 0 && this.held.delete(report.c) && report.cameBack) this.local.backDone(report.n);
  }
}
