/**
 * What one process owes on its durable channels: the input its writes derive from, and the
 * publishes not yet acknowledged by the server.
 *
 * Exactly once to the sink rests on two rules kept here. (1) A write's message id is derived from
 * the consumed input — `<input stream>:<input seq>:<k>` for the k-th write since that input was
 * taken — so an input redelivered after a crash and processed again, by any worker, produces the
 * same ids, and the output stream drops the repeats within its duplicate window. A write with no
 * durable input (a source) gets `<random writer id>:<n>`, stable across its own retries. (2) An
 * input is acknowledged only after every publish the process made since taking it was
 * acknowledged (`settled`).
 *
 * A write that failed since the input was taken (refused before publishing, or its publish
 * rejected) means the input was not finished: it is given back, never acknowledged.
 *
 * Invariant: `pending` holds exactly the publishes in flight; `input.k` counts the writes made
 * since `input` was taken; `failed` says whether one of the writes since then failed.
 */
import type { ProcessRecord } from '../../core/process-record.js';
import { newRunId } from './random.js';

export class Ledger {
  private input: { readonly key: string; k: number } | null = null;
  private readonly anon = newRunId();
  private n = 0;
  private readonly pending = new Set<Promise<unknown>>();
  private failed = false;

  /** The process took the message `seq` of `stream`: the next writes derive from it. */
  took(stream: string, seq: number): void {
    this.input = { key: `${stream}:${seq}`, k: 0 };
    this.failed = false;
  }

  /** A write failed before it could be published. */
  refused(): void {
    this.failed = true;
  }

  /** The id of the next write. */
  nextId(): string {
    if (this.input !== null) return `${this.input.key}:${++this.input.k}`;
    return `${this.anon}:${++this.n}`;
  }

  track(publish: Promise<unknown>): void {
    this.pending.add(publish);
    const forget = (): void => void this.pending.delete(publish);
    publish.then(forget, () => {
      forget();
      this.failed = true;
    });
  }

  /** Resolves true once every publish in flight now has settled, and no write since the input was taken failed. */
  async settled(): Promise<boolean> {
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    return !this.failed;
  }
}

const ledgers = new WeakMap<ProcessRecord, Ledger>();

/** The ledger of `process` (one per process, shared by all its durable ends). */
export function ledgerOf(process: ProcessRecord): Ledger {
  let ledger = ledgers.get(process);
  if (ledger === undefined) {
    ledger = new Ledger();
    ledgers.set(process, ledger);
  }
  return ledger;
}
