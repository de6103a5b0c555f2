/**
 * The pool's driver on the main thread: every task item, whether the user's or one a task body
 * submitted (nested), is queued here, cut into chunks, written to its task's jobs channel, and its
 * outcome comes back here on the back channel and goes to its sink. Nested items go round through
 * here too (a star, not a mesh): farm workers never write to one another, so the pool shuts down by
 * plain retirement, and the driver always knows how much work is outstanding.
 *
 * Invariants:
 * - outstanding = items queued + items sent without an outcome yet (root and nested);
 * - `chunks` holds every chunk written whose outcomes are not all back;
 * - the back channel is read with a signal, so deadlock detection never counts the driver as
 *   stuck: an idle pool (every farm worker waiting for work) is not a deadlock;
 * - once the pool has failed, that signal is aborted: the driver stops reading and ends, and its
 *   ends (every jobs and control channel) are poisoned, so every farm worker ends too and the
 *   pool's run settles — a failure that the driver caught (a write that failed, the run's own
 *   failure) never leaves the network waiting, and `close()` waiting on it, forever.
 */
import type { Reader, Writer } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import { UnknownTaskError } from './errors.js';
import { Forward } from './forward.js';
import { checkBack, type BackMessage, type ChunkOutcomes, type ControlMessage, type JobChunk, type Submission } from './messages.js';
import { Outbox } from './outbox.js';
import type { Enqueued, Requester, Sink } from './requester.js';
import { toRecord } from './task-error.js';
import { TaskQueue, type QueueOwner, type SentChunk } from './task-queue.js';

/** Messages read from the back channel at once, at most. */
const BACK_BATCH = 256;

interface Waiting {
  left: number;
  resolve(): void;
  reject(error: unknown): void;
}

export class Dispatcher implements Requester, QueueOwner {
  private readonly queues = new Map<string, TaskQueue>();
  private readonly chunks = new Map<number, SentChunk>();
  private nextChunk = 1;
  private outstanding = 0;
  private readonly forwards = new Map<string, Forward>();
  private jobs: Writer<JobChunk>[] = [];
  private controls: Outbox<ControlMessage>[] = [];
  private feeders: Promise<void>[] = [];
  private idle: (() => void)[] = [];
  private readonly acks = new Map<string, Waiting>();
  private readonly reading = new AbortController();
  private attach: () => void = () => {};
  /** Resolves once the driver process has started and holds the pool's ends (or the pool failed). */
  readonly ready = new Promise<void>((resolve) => {
    this.attach = resolve;
  });
  failure: unknown = null;

  /**
   * @param tasks the pool's task names, in the order of its jobs channels
   * @param farms the task each farm worker runs, by farm worker index
   */
  constructor(
    readonly tasks: readonly string[],
    private farms: readonly string[],
    workers: number,
    /** Told why the pool failed; returns the error everyone waiting gets. */
    private readonly onFailure: (cause: unknown) => unknown,
  ) {
    for (const task of tasks) this.queues.set(task, new TaskQueue(task, workers, this));
  }

  /** Sets how many farm workers each task has, once known (before the pool's network starts). */
  resize(farms: readonly string[], workers: number): void {
    this.farms = farms;
    for (const queue of this.queues.values()) queue.workers = workers;
  }

  enqueue(task: string, items: readonly unknown[], spread: 0 | 1, sink: Sink, chunk: number | undefined): Enqueued {
    const queue = this.queues.get(task);
    if (queue === undefined) throw new UnknownTaskError(task, this.tasks);
    this.outstanding += items.length;
    return queue.push(sink, items, spread, chunk);
  }

  drop(sink: Sink): void {
    for (const queue of this.queues.values()) queue.drop(sink);
    const byTask = new Map<string, number[]>();
    for (const [id, sent] of this.chunks) {
      if (sent.sink !== sink) continue;
      let ids = byTask.get(sent.task.task);
      if (ids === undefined) byTask.set(sent.task.task, (ids = []));
      ids.push(id);
    }
    for (const [task, ids] of byTask) this.toFarmsOf(task, { k: 'x', c: ids });
  }

  register(chunk: Omit<SentChunk, 'left'>): number {
    const id = this.nextChunk++;
    this.chunks.set(id, { ...chunk, left: chunk.n });
    return id;
  }

  unsent(n: number): void {
    this.settled(n);
  }

  private settled(n: number): void {
    this.outstanding -= n;
    if (this.outstanding === 0) for (const wake of this.idle.splice(0)) wake();
  }

  /** Resolves once no item is queued or running (or the pool failed). */
  whenIdle(): Promise<void> {
    if (this.outstanding === 0 || this.failure !== null) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Sends shared constant `name` to every farm worker; resolves once each has it. */
  async share(name: string, value: unknown): Promise<void> {
    await this.ready;
    if (this.failure !== null) throw this.failure;
    return new Promise<void>((resolve, reject) => {
      this.acks.set(name, { left: this.controls.length, resolve, reject });
      for (const control of this.controls) control.push({ k: 'c', name, value });
    });
  }

  /** The driver process's body: holds the pool's ends until every farm worker has ended. */
  async serve(jobs: Writer<JobChunk>[], controls: Writer<ControlMessage>[], back: Reader<BackMessage>): Promise<void> {
    this.jobs = jobs;
    this.controls = controls.map((w) => new Outbox(w, (error) => this.fail(error)));
    this.feeders = this.tasks.map((task, i) => (this.queues.get(task) as TaskQueue).feed(jobs[i] as Writer<JobChunk>).catch((error: unknown) => this.fail(error)));
    this.attach();
    try {
      await this.read(back);
    } catch (error) {
      this.fail(error instanceof PoisonError ? error.reason : error);
      throw error;
    }
  }

  /** Graceful end, once idle: farm workers see their jobs and control channels end, and end. */
  async shutdown(): Promise<void> {
    await this.ready;
    if (this.failure !== null) return;
    for (const queue of this.queues.values()) queue.stop();
    await Promise.all(this.feeders);
    for (const w of this.jobs) w.retire();
    await Promise.all(this.controls.map((c) => c.close()));
  }

  /** The pool failed: nothing more is sent, everyone waiting is told, and the driver ends. */
  fail(cause: unknown): void {
    if (this.failure !== null) return;
    this.failure = cause;
    const error = this.onFailure(cause);
    this.failure = error;
    for (const queue of this.queues.values()) queue.stop();
    for (const wake of this.idle.splice(0)) wake();
    for (const waiting of this.acks.values()) waiting.reject(error);
    this.acks.clear();
    this.attach();
    this.reading.abort(error);
  }

  /** True when no item is queued or running. */
  get isIdle(): boolean {
    return this.outstanding === 0;
  }

  private async read(back: Reader<BackMessage>): Promise<void> {
    for (;;) {
      let batch: BackMessage[];
      try {
        batch = await back.readMany(BACK_BATCH, { signal: this.reading.signal });
      } catch (error) {
        if (error instanceof RetiredError && error.why === 'writers-retired') return;
        throw error;
      }
      for (const m of batch) this.receive(checkBack(back.channelName, m));
    }
  }

  private receive(m: BackMessage): void {
    switch (m.k) {
      case 'r':
        this.outcomes(m);
        return;
      case 's':
        this.nested(m);
        return;
      case 'x': {
        const forward = this.forwards.get(`${m.o}:${m.b}`);
        if (forward === undefined) return;
        forward.dead = true;
        this.drop(forward);
        return;
      }
      case 'o':
        if (m.n > 0) this.outstanding += m.n;
        else this.settled(-m.n);
        return;
      case 'a': {
        const waiting = this.acks.get(m.name);
        if (waiting !== undefined && --waiting.left === 0) {
          this.acks.delete(m.name);
          waiting.resolve();
        }
      }
    }
  }

  private outcomes(m: ChunkOutcomes): void {
    const sent = this.chunks.get(m.c);
    if (sent === undefined) return;
    const { sink, positions, base } = sent;
    const at = (k: number): number => (positions === null ? base + k : (positions[k] as number));
    let count = m.v.length;
    if (typeof m.i === 'number') {
      if (positions === null) sink.values(base + m.i, m.v);
      else for (let k = 0; k < m.v.length; k++) sink.value(at(m.i + k), m.v[k]);
    } else {
      for (let k = 0; k < m.v.length; k++) sink.value(at(m.i[k] as number), m.v[k]);
    }
    for (const [p, record] of m.e ?? []) sink.failed(at(p), record);
    for (const p of m.x ?? []) sink.cancelled(at(p));
    count += (m.e?.length ?? 0) + (m.x?.length ?? 0);
    sent.left -= count;
    if (sent.left <= 0) {
      this.chunks.delete(m.c);
      sent.task.sizer.observe(sent.n, m.t ?? Number.NaN);
    }
    this.settled(count);
  }

  private nested(m: Submission): void {
    const control = this.controls[m.o];
    if (control === undefined) return;
    if (!this.queues.has(m.task)) {
      const record = toRecord(new UnknownTaskError(m.task, this.tasks), { task: m.task, worker: m.o });
      control.push({ k: 'r', b: m.b, i: [], v: [], e: m.xs.map((_, p) => [p, record] as const) });
      return;
    }
    const key = `${m.o}:${m.b}`;
    const forward = new Forward(
      m.o,
      m.b,
      m.xs.length,
      (message) => control.push(message),
      () => this.forwards.delete(key),
      m.h === 1,
    );
    this.forwards.set(key, forward);
    this.enqueue(m.task, m.xs, m.s, forward, m.n);
  }

  private toFarmsOf(task: string, message: ControlMessage): void {
    this.farms.forEach((t, k) => {
      if (t === task) this.controls[k]?.push(message);
    });
  }
}
