/**
 * What one process owes on its durable channels: the input its writes derive from, the groups of
 * values its writes fill (many values travel in one JetStream message), and the publishes not yet
 * acknowledged by the server.
 *
 * Exactly once to the sink rests on three rules kept here (decision 0015).
 * (1) Which values share a message, and that message's id, are a function of the input alone. The
 * writes a process makes while it holds input message `id` of stream `X` are numbered from 0
 * across all its durable ends; each end's writes fill groups of at most GROUP_VALUES values and
 * its byte budget, a group closing when full or when the process moves past the input. A group's
 * id is `X:id:<index of its first write>:<its number of values>` (`inputKey`; by the input's
 * message id, not its sequence: every copy the stream holds of one publish makes the same
 * groups, decision 0018): two groups with the same id
 * hold the same writes, whichever worker made them, so the output stream's duplicate window
 * dropping a repeat never drops a value the first copy lacked. (The determinism assumed: the
 * writes a process makes while holding an input are a function of that input's values, in order —
 * the assumption the per-value ids made before.) Writes with no durable input (a source) are
 * grouped freely and get `<random writer id>:<n>`, fixed at the group's first publish and kept
 * across its retries.
 * (2) An input is acknowledged only after the process moved past its last value and every publish
 * made until then was acknowledged (`passed`, then `settled`). An input the process leaves
 * unfinished is given back whole: its groups not yet published are dropped (`abandoned`, `end`),
 * since they will be made again when it is processed again.
 * (3) A publish that failed fails the process: every later operation of its durable ends throws
 * the failure (`check`), and no input is acknowledged after it.
 *
 * Invariant: `pending` holds exactly the publishes in flight; `open` holds each end's group being
 * filled, all of them derived from `input` (or from no input when it is null); `input.writes`
 * counts the writes made since `input` was taken.
 */
import { createHash } from 'node:crypto';
import type { ProcessRecord } from '../../core/process-record.js';
import { BATCH_HEAD, GROUP_VALUES, VALUE_HEAD } from './durable-batch.js';
import { newRunId } from './random.js';

/** Publishes in flight for one process before its next write waits (with a full stream: the back-pressure). */
export const MAX_IN_FLIGHT = 32;

/** One writer end, as its groups see it. */
export interface GroupSink {
  /** The most bytes one message of this end should carry (a value bigger than that travels alone). */
  readonly budget: number;
  /** Publishes `values` as one message with id `id`; resolves once stored, rejects for good. */
  launch(id: string, values: readonly Uint8Array[]): Promise<void>;
}

interface Group {
  /** The index of its first write since the input was taken. */
  readonly first: number;
  readonly values: Uint8Array[];
  bytes: number;
}

interface Input {
  readonly key: string;
  writes: number;
  /** The process has taken its last value. */
  complete: boolean;
  /** A write made while holding it was refused: it must not be acknowledged. */
  refused: boolean;
}

export class Ledger {
  private input: Input | null = null;
  private readonly anon = newRunId();
  private n = 0;
  private readonly open = new Map<GroupSink, Group>();
  private readonly pending = new Set<Promise<void>>();
  private failure: Error | null = null;

  /** The process took the input message `key` (`inputKey`): the groups of the previous input are published, the next writes derive from this one. */
  took(key: string): void {
    this.launchAll();
    this.input = { key, writes: 0, complete: false, refused: false };
  }

  /** The process has taken the last value of input `key`. */
  completed(key: string): void {
    if (this.input?.key === key) this.input.complete = true;
  }

  /**
   * The process moved past input `key` (its reader reads on): its groups are published. False if
   * a write made while holding it was refused (it is then given back, not acknowledged).
   */
  passed(key: string): boolean {
    if (this.input?.key !== key) return true;
    this.launchAll();
    return !this.input.refused;
  }

  /** Input `key` is given back unfinished: its groups not yet published are dropped; later writes derive from no input. */
  abandoned(key: string): void {
    if (this.input?.key !== key) return;
    this.open.clear();
    this.input = null;
  }

  /** The process ended: its groups are published if it ended well and finished its input, else dropped (the input comes back). */
  end(keep: boolean): void {
    if (keep && (this.input === null || this.input.complete)) this.launchAll();
    else this.open.clear();
  }

  /** A write failed before it was accepted: the input held is not acknowledged. */
  refused(): void {
    if (this.input !== null) this.input.refused = true;
  }

  /** Throws the publish failure that failed this process, if one did. */
  check(): void {
    if (this.failure !== null) throw this.failure;
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Whether fewer than MAX_IN_FLIGHT publishes are in flight. */
  hasRoom(): boolean {
    return this.pending.size < MAX_IN_FLIGHT;
  }

  /** Waits while MAX_IN_FLIGHT publishes are in flight. */
  async room(): Promise<void> {
    while (this.pending.size >= MAX_IN_FLIGHT) await Promise.race(this.pending).catch(() => {});
    this.check();
  }

  /** Accepts one encoded value written through `sink`: into its open group, published once full. */
  add(sink: GroupSink, data: Uint8Array): void {
    let g = this.open.get(sink);
    if (g !== undefined && g.bytes + VALUE_HEAD + data.byteLength > sink.budget) {
      this.launch(sink, g);
      g = undefined;
    }
    const index = this.input === null ? 0 : this.input.writes++;
    if (g === undefined) {
      g = { first: index, values: [], bytes: BATCH_HEAD };
      this.open.set(sink, g);
    }
    g.values.push(data);
    g.bytes += VALUE_HEAD + data.byteLength;
    if (g.values.length >= GROUP_VALUES) this.launch(sink, g);
  }

  /** `sink`'s writer went idle: its open group is published now if it derives from no input (a source's id is free to choose). */
  idle(sink: GroupSink): void {
    const g = this.open.get(sink);
    if (g !== undefined && this.input === null) this.launch(sink, g);
  }

  /** `sink` leaves: its open group is published (the end writes no more). */
  flush(sink: GroupSink): void {
    const g = this.open.get(sink);
    if (g !== undefined) this.launch(sink, g);
  }

  /** Resolves true once every publish in flight now has settled and none of this process's publishes failed. */
  async settled(): Promise<boolean> {
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    return this.failure === null;
  }

  private launchAll(): void {
    for (const [sink, g] of [...this.open]) this.launch(sink, g);
  }

  private launch(sink: GroupSink, g: Group): void {
    this.open.delete(sink);
    const id = this.input === null ? `${this.anon}:${++this.n}` : `${this.input.key}:${g.first}:${g.values.length}`;
    const publish = sink.launch(id, g.values);
    this.pending.add(publish);
    publish.then(
      () => void this.pending.delete(publish),
      (error: unknown) => {
        this.pending.delete(publish);
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
  }
}

/** Input ids longer than this are hashed, so ids stay short however many durable hops values cross. */
const ID_CHARS = 64;

/**
 * The key of input message `id` of `stream`, which the ids of the writes it derives from start
 * with: by message id, not by stream sequence, so every copy the stream holds of one write (a
 * publish retried across a server restart that forgot its id) derives the same ids.
 */
export function inputKey(stream: string, id: string): string {
  return `${stream}:${id.length > ID_CHARS ? digest(id) : id}`;
}

/**
 * A digest of `text` for ids: SHA-256 cut to 144 bits (24 characters), so two inputs never share
 * one in practice — a shared id would drop the second input's outputs as duplicates, a silent loss.
 */
function digest(text: string): string {
  return `h${createHash('sha256').update(text).digest().subarray(0, 18).toString('base64url')}`;
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
