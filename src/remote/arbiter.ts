/**
 * The arbiter of an alt whose guards live in several places (docs/decisions/0014-alt-across-homes.md):
 * a lock, held by one claimant at a time, that decides which guard commits. Every place that
 * finds one of the alt's guards ready (a home holding its offers, this station's own channels,
 * a timer, skip, the abort signal) claims the lock; the holder then commits — the alt is over —
 * or lets go (its partner went away meanwhile), and the next claim is granted.
 *
 * Order (priority and fairness): claims wait sorted by the position of their guard in the alt's
 * order (priority: as written; fair: the scheduler's permutation), and none is granted before
 * every place has made its first report (a claim or `idle`), so among guards ready when the
 * offer reached their places, the first in order is tried first.
 *
 * Invariants:
 * - at most one claim holds the lock; `done` flips false -> true once, by the holder's commit;
 * - once done, every claim waiting or arriving is denied, and `finish` has been called once.
 */

/** Names an arbiter across a run; two-lock commits take arbiters' locks in this order. */
export interface ArbiterKey {
  readonly station: string;
  readonly seq: number;
}

/** True when arbiter `a` is locked before `b`. */
export function lockedBefore(a: ArbiterKey, b: ArbiterKey): boolean {
  return a.station === b.station ? a.seq < b.seq : a.station < b.station;
}

/** A request for the lock; `grant` or `deny` is called once. */
export interface Claim {
  /** Position of the claimed guard in the alt's order (the abort signal claims at -1). */
  readonly position: number;
  grant(): void;
  deny(): void;
}

/** How the alt ends: a guard won (with a read's value), or it fails (poison, retire, abort...). */
export type Verdict = { readonly index: number; readonly value: unknown } | { readonly error: unknown };

export class Arbiter {
  done = false;
  private holder: Claim | null = null;
  private readonly queue: Claim[] = [];

  constructor(
    readonly key: ArbiterKey,
    /** Places that have not made their first report yet. */
    private unreported: number,
    private readonly finish: (verdict: Verdict, by: Claim) => void,
    /** Called once, when the last place has reported (the alt's timers start then, as the core's alt arms them after offering). */
    private readonly reported: () => void = () => {},
  ) {}

  /** A place's first report has come. */
  report(): void {
    if (--this.unreported === 0 && !this.done) this.reported();
    this.next();
  }

  claim(c: Claim): void {
    if (this.done) return c.deny();
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as Claim).position > c.position) i--;
    this.queue.splice(i, 0, c);
    this.next();
  }

  /** The holder lets go without committing. */
  miss(c: Claim): void {
    if (this.holder !== c) return;
    this.holder = null;
    this.next();
  }

  /** The holder commits: the alt ends with `verdict`. */
  commit(c: Claim, verdict: Verdict): void {
    if (this.holder !== c || this.done) return;
    this.done = true;
    this.holder = null;
    for (const waiting of this.queue.splice(0)) waiting.deny();
    this.finish(verdict, c);
  }

  /** The alt can no longer be served (a place was lost): it ends with `error`, whoever holds the lock. */
  abandon(error: unknown, by: Claim): void {
    if (this.done) return;
    this.done = true;
    this.holder = null;
    for (const waiting of this.queue.splice(0)) waiting.deny();
    this.finish({ error }, by);
  }

  private next(): void {
    if (this.done || this.holder !== null || this.unreported > 0) return;
    const c = this.queue.shift();
    if (c === undefined) return;
    this.holder = c;
    c.grant();
  }
}
