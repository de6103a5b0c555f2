/**
 * The requester inside a farm worker: tasks a task body submits (nested) leave as one Submission
 * per batch on the back channel; the dispatcher queues them like any others and sends their
 * outcomes back on this farm worker's control channel.
 *
 * Invariant: `batches` holds every batch sent with positions still lacking an outcome.
 */
import type { BatchOutcomes, BackMessage } from './messages.js';
import type { Outbox } from './outbox.js';
import type { Enqueued, Requester, Sink } from './requester.js';

interface Batch {
  readonly sink: Sink;
  left: number;
}

/** Items that left with their batch: none can be withdrawn any more. */
const SENT: Enqueued = { withdraw: () => false };

export class WorkerRequester implements Requester {
  private nextBatch = 1;
  private readonly batches = new Map<number, Batch>();

  constructor(
    readonly tasks: readonly string[],
    private readonly origin: number,
    private readonly outbox: Outbox<BackMessage>,
  ) {}

  enqueue(task: string, items: readonly unknown[], spread: 0 | 1, sink: Sink, chunk: number | undefined): Enqueued {
    const b = this.nextBatch++;
    this.batches.set(b, { sink, left: items.length });
    this.outbox.push({ k: 's', o: this.origin, b, task, s: spread, xs: items, ...(chunk === undefined ? {} : { n: chunk }) });
    return SENT;
  }

  /** Sends items of this farm worker's own queue to be shared with the task's other farm workers. */
  share(task: string, items: readonly unknown[], spread: 0 | 1, sink: Sink): void {
    const b = this.nextBatch++;
    this.batches.set(b, { sink, left: items.length });
    this.outbox.push({ k: 's', o: this.origin, b, task, s: spread, xs: items, h: 1 });
  }

  drop(sink: Sink): void {
    for (const [b, batch] of this.batches) if (batch.sink === sink) this.outbox.push({ k: 'x', o: this.origin, b });
  }

  /** Outcomes of a batch, from the control channel. */
  outcomes(m: BatchOutcomes): void {
    const batch = this.batches.get(m.b);
    if (batch === undefined) return;
    const { sink } = batch;
    if (typeof m.i === 'number') sink.values(m.i, m.v);
    else for (let k = 0; k < m.v.length; k++) sink.value(m.i[k] as number, m.v[k]);
    for (const [p, record] of m.e ?? []) sink.failed(p, record);
    for (const p of m.x ?? []) sink.cancelled(p);
    batch.left -= m.v.length + (m.e?.length ?? 0) + (m.x?.length ?? 0);
    if (batch.left <= 0) this.batches.delete(m.b);
  }
}
