/**
 * The reading end of a durable channel. Every reader of the channel, in any process on any host,
 * takes from one shared durable pull consumer, up to PULL messages in one pull, read ahead while
 * the process works. A message carries many values (durable-batch.ts): the unit of input is the
 * message. The reader hands its process the values of one message at a time (`readMany` may
 * return all that are left of it, never values of two messages), and tells the process's ledger
 * which message its writes derive from (durable-ledger.ts).
 *
 * A message is acknowledged once the process has moved past its last value (its next read, or its
 * end) and every publish the process made until then was acknowledged by its stream — without
 * holding up the next read. Until then — and while it waits in the read-ahead — its lease is
 * extended with `working()` every third of the ack wait. A message the process leaves unfinished
 * (its reader retired, or its process ended, before its last value was taken), the messages read
 * ahead when the reader leaves, and every message held when the worker stops (SIGTERM), are given
 * back at once (NAK) and processed again, whole, by whoever takes them; one a pull brings after the
 * reader left is given back with a delay (STRAY_DELAY_MS). A reader that dies holding
 * messages stops extending their leases: the server redelivers them after the ack wait.
 *
 * End of stream: every writer has left (the control channel says so) and the stream is empty — in
 * a work-queue stream, every message stored has been acknowledged (one lost in flight to a reader,
 * or held by one that died, is still there and comes back after the ack wait). Messages a killed
 * server kept though acknowledged, at or below the consumer's ack floor, do not count
 * (`unfinished`, decision 0018).
 *
 * Try-operations answer at once without the network (as proxies do): tryRead never takes a value
 * (`empty` while open).
 *
 * A message is known by its id (the writer's message id): a later delivery of a message held
 * here, or another copy of it the stream stored (a publish retried across a server restart that
 * forgot the id, decision 0018), is never handed out twice — it is acknowledged or given back
 * with the first.
 *
 * Invariant: `current` is the message whose values the process is taking (null between
 * messages); `queue` holds messages pulled and not yet handed over, no two with one id;
 * `copies` holds later deliveries and copies of messages in `queue`, `current` or `owed`; `owed`
 * holds messages moved past and not yet acknowledged; every message in the four has its lease
 * extended.
 */
import { abortError, RetiredError } from '../../core/errors.js';
import type { OpOptions, Reader, TryReadResult } from '../../core/ends.js';
import { decodeBatch } from './durable-batch.js';
import { inputKey } from './durable-ledger.js';
import { DurableEnd } from './durable-end.js';
import type { HeldMessage } from './jetstream-client.js';

/** How long one pull waits for messages before the reader checks for the end of stream again (the server's minimum). */
const POLL_MS = 1_000;
/** A pull not over this long after it started is given up (its expiry is POLL_MS). */
const GIVE_UP_MS = 5 * POLL_MS;
/** The most messages one pull asks for; another is started once fewer than half are left. */
const PULL = 64;
/**
 * How long a message brought to a reader that stopped taking waits before it is delivered again:
 * longer than any pull's expiry, so no pull request of another stopped reader, still open at the
 * server, can take it back at once (two such readers would pass it to and fro until max_deliver).
 */
const STRAY_DELAY_MS = 2 * POLL_MS;

interface Taking {
  readonly m: HeldMessage;
  readonly key: string;
  readonly values: readonly Uint8Array[];
  next: number;
}

export class DurableReader<T> extends DurableEnd implements Reader<T> {
  readonly side = 'reader' as const;
  private current: Taking | null = null;
  private readonly queue: HeldMessage[] = [];
  /** Messages moved past and not yet acknowledged, by id. */
  private readonly owed = new Map<string, HeldMessage>();
  /**
   * Later deliveries of a message still held here (its lease lapsed while the connection was
   * down, and the server delivered it again): never handed out twice; acknowledged or given back
   * with the first.
   */
  private readonly copies = new Map<string, HeldMessage[]>();
  private readonly acks = new Set<Promise<void>>();
  private pulling: Promise<void> | null = null;
  private lastPull: 'none' | 'some' | 'empty' | 'failed' = 'none';
  private backoff = 50;
  private wake: (() => void) | null = null;
  private cancelLease: (() => void) | null = null;
  /** Stops the pull running, if any (see `fetch`). */
  private halt: AbortController | null = null;

  read(options?: OpOptions): Promise<T> {
    return this.takeSoon(1, options).then((vs) => vs[0] as T);
  }

  /** The values left of the message being taken, up to `max` (a message is the unit of input: never values of two). */
  readMany(max: number, options?: OpOptions): Promise<T[]> {
    if (!Number.isInteger(max) || max < 1) return Promise.reject(new RangeError(`readMany(max): max must be an integer >= 1, got ${String(max)}`));
    return this.takeSoon(max, options);
  }

  /** `take`, handed at once when nothing is queued before it and the message being taken has values left. */
  private takeSoon(max: number, options: OpOptions | undefined): Promise<T[]> {
    const c = this.current;
    if (this.queued === 0 && options?.signal === undefined && c !== null && c.next < c.values.length && this.alive && !this.otherSideGone && this.ledger().error === null) {
      try {
        return Promise.resolve(this.hand(c, max));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return this.serial(() => this.take(max, options?.signal));
  }

  tryRead(): TryReadResult<T> {
    if (this.poisoned !== null) throw this.poisoned;
    return { ok: false, reason: this.open ? 'empty' : 'retired' };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.read();
      } catch (error) {
        if (error instanceof RetiredError) return;
        throw error;
      }
    }
  }

  private async take(max: number, signal: AbortSignal | undefined): Promise<T[]> {
    this.check();
    this.ledger().check();
    const c = this.current;
    if (c !== null && c.next < c.values.length) return this.hand(c, max);
    if (c !== null) this.pass(c);
    const { spec } = this.parts;
    for (;;) {
      if (signal?.aborted === true) throw abortError(signal);
      this.check();
      const m = this.queue.shift();
      if (m !== undefined) {
        const taking = { m, key: inputKey(spec.stream, m.id), values: decodeBatch(m.data), next: 0 };
        this.current = taking;
        this.ledger().took(taking.key);
        // After `current` is set: a copy of `m` the next pull brings is known as one.
        if (this.queue.length < PULL / 2) this.pull();
        return this.hand(taking, max);
      }
      if (this.pulling === null) {
        if (this.lastPull === 'empty' && this.otherSideGone) {
          // This reader's own acknowledgements still on their way would keep the stream from empty.
          await Promise.allSettled([...this.acks]);
          if (await this.drained()) throw new RetiredError('writers-retired', spec.channel);
        }
        if (this.lastPull === 'failed') {
          // A server restarting, a stream leader being elected: try again shortly.
          await this.sleep(this.backoff);
          this.backoff = Math.min(this.backoff * 2, 1_000);
        }
        this.pull();
      }
      // No pull running means none will wake this read: this end stopped while it slept or
      // waited above (its poison or retirement woke nobody), so look again — check() throws.
      if (this.pulling === null) continue;
      await this.arrival(signal);
    }
  }

  private hand(c: Taking, max: number): T[] {
    const n = Math.min(max, c.values.length - c.next);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(this.parts.codec.decode(c.values[c.next + i] as Uint8Array) as T);
    c.next += n;
    if (c.next === c.values.length) this.ledger().completed(c.key);
    return out;
  }

  /** The process moved past `c`: acknowledged once every publish made until now is stored (given back if one of its writes was refused). */
  private pass(c: Taking): void {
    this.current = null;
    const ledger = this.ledger();
    const ok = ledger.passed(c.key);
    this.owed.set(c.m.id, c.m);
    const done = (ok ? ledger.settled() : Promise.resolve(false))
      .then(async (stored) => {
        if (!stored) this.giveBack(c.m);
        else
          await Promise.all([c.m, ...this.copiesOf(c.m)].map((m) => m.ack())).catch(() => {
            // Not confirmed: the server redelivers it after the ack wait, and the outputs it
            // produced are dropped downstream as duplicates (same ids).
          });
      })
      .finally(() => {
        this.owed.delete(c.m.id);
        this.acks.delete(done);
      });
    this.acks.add(done);
  }

  /**
   * Starts a pull unless one is running: its messages join the queue as they arrive. A pull not
   * over well after its expiry (its server died with the request) is given up and stopped, so a
   * new one starts (left open, the client would pull for it again once reconnected: a reader
   * cut off with pulls open gave back at once what they brought, and one message passed between
   * such pulls until max_deliver, decision 0018); what it brought before is kept all the same.
   */
  private pull(): void {
    if (this.pulling !== null || !this.alive) return;
    const { spec, store, timers } = this.parts;
    const halt = new AbortController();
    this.halt = halt;
    const fetched = store.fetch(spec.stream, spec.consumer, PULL, POLL_MS, (m) => {
      if (this.alive) this.arrived(m);
      else m.nak(STRAY_DELAY_MS);
    }, halt.signal);
    let cancel = (): void => {};
    const givenUp = new Promise<never>((_, reject) => {
      cancel = timers.setTimer(GIVE_UP_MS, () => {
        halt.abort();
        reject(new Error('the pull did not end'));
      });
    });
    const pulling: Promise<void> = Promise.race([fetched, givenUp])
      .then(
        (n) => {
          this.lastPull = n > 0 ? 'some' : 'empty';
          this.backoff = 50;
        },
        () => void (this.lastPull = 'failed'),
      )
      .finally(() => {
        cancel();
        if (this.halt === halt) this.halt = null;
        if (this.pulling === pulling) this.pulling = null;
        this.signal();
      });
    this.pulling = pulling;
    fetched.catch(() => {});
    this.lease();
  }

  /** Resolves when a message arrived or a pull ended (or `signal` aborts). */
  private arrival(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      signal?.addEventListener('abort', done);
    });
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** `m` and its later deliveries, given back. */
  private giveBack(m: HeldMessage): void {
    m.nak();
    for (const copy of this.copiesOf(m)) copy.nak();
  }

  /** The later deliveries of `m` held here, forgotten. */
  private copiesOf(m: HeldMessage): HeldMessage[] {
    const copies = this.copies.get(m.id) ?? [];
    this.copies.delete(m.id);
    return copies;
  }

  /** A message a pull brought: queued, or — a later delivery or another copy of one held here — kept as its copy. */
  private arrived(m: HeldMessage): void {
    const queued = this.queue.findIndex((q) => q.id === m.id);
    if (queued >= 0 && (this.queue[queued] as HeldMessage).seq === m.seq) {
      // The later delivery replaces the earlier (whose lease lapsed) in the queue.
      this.queue[queued] = m;
      return;
    }
    if (queued >= 0 || this.current?.m.id === m.id || this.owed.has(m.id)) {
      const copies = this.copies.get(m.id);
      if (copies === undefined) this.copies.set(m.id, [m]);
      else copies.push(m);
      return;
    }
    this.queue.push(m);
    this.signal();
  }

  /** Extends the lease of every message held, every third of the ack wait, while there are any or a pull is running. */
  private lease(): void {
    if (this.cancelLease !== null) return;
    const every = Math.max(1, Math.floor(this.parts.spec.ackWaitMs / 3));
    const extend = (): void => {
      this.cancelLease = null;
      const held = [...this.queue, ...this.owed.values(), ...[...this.copies.values()].flat()];
      if (this.current !== null) held.push(this.current.m);
      for (const m of held) m.working();
      if (held.length > 0 || this.pulling !== null) this.cancelLease = this.parts.timers.setTimer(every, extend);
    };
    this.cancelLease = this.parts.timers.setTimer(every, extend);
  }

  private async drained(): Promise<boolean> {
    try {
      return (await this.parts.store.unfinished(this.parts.spec.stream, this.parts.spec.consumer)) === 0;
    } catch {
      return false;
    }
  }

  protected async settle(keep: boolean): Promise<boolean> {
    // Cut off from its run: a pull left open would be pulled for again once the connection is
    // back, only to give back what it brings. (A reader stopping keeps its pull to its end: what it
    // brings is given back after STRAY_DELAY_MS, none left to the ack wait.)
    if (this.cutOff !== null) this.halt?.abort();
    for (const m of this.queue.splice(0)) this.giveBack(m);
    const c = this.current;
    if (c !== null) {
      if (keep && c.next === c.values.length) this.pass(c);
      else {
        this.current = null;
        this.ledger().abandoned(c.key);
        this.giveBack(c.m);
      }
    }
    this.signal();
    if (keep) {
      // A pull still open would hand its messages to a connection about to close: wait for it
      // (what it brings now is given back at once).
      await Promise.allSettled([...this.acks, this.pulling]);
    }
    if (!this.alive && this.owed.size === 0 && this.pulling === null) {
      this.cancelLease?.();
      this.cancelLease = null;
    }
    return this.ledger().error === null;
  }
}
