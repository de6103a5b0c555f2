/**
 * Deadlock detection: finds the processes that wait on channels nothing else can complete, at a
 * cost in proportion to what changed since the last scan, not to the size of the network.
 *
 * A process is a candidate when it has exactly one pending operation and no timer or abort
 * signal can end that wait. A deadlocked set is a set S of candidates such that every live end of
 * every channel a member of S waits on is held only by members of S: nobody outside S (no other
 * process, and not the main program, which holds the ends no process holds) can still write,
 * read, retire or poison there. Each member's operation then fails with one shared DeadlockError,
 * so its process ends, poisons its ends and its `par` rejects.
 *
 * Incremental: a set that is deadlocked now and was not at the last scan contains a process whose
 * wait, or whose channel's ends, changed since. So the core notes each channel where an operation
 * blocked, an end left or changed holders (`note`), and a scan starts only from those channels:
 * - a channel with an escape (a live end held by the main program or by a process that is not a
 *   candidate) cannot be waited on by a deadlocked process; the escape found is kept per channel
 *   (`escapes`) and checked first next time, so a channel with many waiting writers and one
 *   running reader costs O(1) per scan, not a walk of its ends;
 * - from each process waiting on a channel without escape, the processes holding the ends it waits
 *   on are followed (forward) until an escape is met (none is deadlocked) or the set closes (all
 *   are); from a deadlocked set, the processes waiting on channels its members hold are tried too
 *   (backward), so the set reported is the whole one a full scan would report.
 * Invariants: a channel is in `noted` iff its `noted` flag is set; a scan runs only while no outside
 * action is expected, and otherwise keeps its notes for the next one.
 */
import { DeadlockError, type BlockedProcess } from './errors.js';
import { soleHolder, type Blocking, type HeldEnd, type ProcessRecord, type WatchedChannel } from './process-record.js';

export class DeadlockDetector {
  private noted: WatchedChannel[] = [];
  /** Per channel, the end last found to be a way out of it. */
  private readonly escapes = new WeakMap<WatchedChannel, HeldEnd>();
  /** Processes examined by every scan so far: a measure of the work, for tests. */
  visits = 0;

  /** `channel` changed: an operation blocked on it, or one of its ends left or changed holders. */
  note(channel: WatchedChannel): void {
    if (channel.noted) return;
    channel.noted = true;
    this.noted.push(channel);
  }

  /** Contract: call when no process can make progress without outside help (the runtime is idle). */
  scan(): void {
    const channels = this.noted;
    this.noted = [];
    for (const c of channels) c.noted = false;
    const scan = new Scan(this);
    for (const c of channels) {
      if (this.hasEscape(c, scan)) continue;
      for (const p of waitingOn(c)) scan.tryProcess(p);
    }
    scan.report();
  }

  /** True when some live end of `c` is held by the main program or by a non-candidate. */
  hasEscape(c: WatchedChannel, scan: Scan): boolean {
    const known = this.escapes.get(c);
    if (known !== undefined && known.alive && scan.isEscape(known)) return true;
    for (const end of c.liveEnds()) {
      if (end !== known && scan.isEscape(end)) {
        this.escapes.set(c, end);
        return true;
      }
    }
    return false;
  }
}

/** One scan's knowledge: which processes it found deadlocked, which free, which it is exploring. */
class Scan {
  private readonly state = new Map<ProcessRecord, 'stuck' | 'free' | 'open'>();
  private readonly ops = new Map<ProcessRecord, Blocking | null>();
  private readonly stuck: ProcessRecord[] = [];

  constructor(private readonly detector: DeadlockDetector) {}

  /** The operation `p` is deadlockable on, or null (no single pending operation, or escapable). */
  candidate(p: ProcessRecord): Blocking | null {
    let op = this.ops.get(p);
    if (op === undefined) {
      this.detector.visits++;
      const on = p.blockedOn;
      op = on !== null && !on.escapable ? on : null;
      this.ops.set(p, op);
    }
    return op;
  }

  /** True when `end` is a way out: held by the main program, or by some process not (possibly) deadlocked. */
  isEscape(end: HeldEnd): boolean {
    let active = 0;
    for (const h of end.holders) {
      // A keeper (a seq) only passes the end on once its current holder ends, so it adds no way out.
      if (h.keeper) continue;
      active++;
      const known = this.state.get(h);
      if (known === 'free' || (known === undefined && this.candidate(h) === null)) return true;
    }
    return active === 0;
  }

  /** Decides whether `p` is deadlocked; a deadlocked set found is extended backward. */
  tryProcess(p: ProcessRecord): void {
    if (this.state.has(p) || this.candidate(p) === null) return;
    const region = this.close(p);
    if (region === null) return;
    const found = [...region];
    for (const q of found) this.stuck.push(q);
    for (let i = 0; i < found.length; i++) {
      for (const end of (found[i] as ProcessRecord).ends) {
        const channel = end.core;
        if (channel !== undefined) for (const q of waitingOn(channel)) if (!this.state.has(q)) this.tryProcess(q);
      }
    }
  }

  /**
   * Follows `p`'s wait forward to the holders of the ends it waits on, and theirs: the set reached
   * if every one of them is a candidate whose channels have no escape (all deadlocked), else null
   * (then `p` is free; the others reached stay undecided).
   */
  private close(p: ProcessRecord): ProcessRecord[] | null {
    const region = [p];
    this.state.set(p, 'open');
    for (let i = 0; i < region.length; i++) {
      const op = this.candidate(region[i] as ProcessRecord) as Blocking;
      for (const c of op.channelsBlocking()) {
        for (const end of c.liveEnds()) {
          if (this.isEscape(end)) return this.undecided(region, p);
          for (const h of end.holders) {
            if (h.keeper || this.state.has(h)) continue;
            this.state.set(h, 'open');
            region.push(h);
          }
        }
      }
    }
    for (const q of region) this.state.set(q, 'stuck');
    return region;
  }

  private undecided(region: readonly ProcessRecord[], p: ProcessRecord): null {
    for (const q of region) this.state.delete(q);
    this.state.set(p, 'free');
    return null;
  }

  /** Fails every deadlocked operation found with one DeadlockError. */
  report(): void {
    if (this.stuck.length === 0) return;
    const blocked: BlockedProcess[] = this.stuck.map((p) => {
      const on = this.ops.get(p) as Blocking;
      return { process: p.name, operation: on.operation, channels: on.channelsBlocking().map((c) => c.name) };
    });
    const error = new DeadlockError(blocked);
    for (const p of this.stuck) (this.ops.get(p) as Blocking).abortWith(error);
  }
}

/** The processes each operation waiting on `c` is attributed to (the sole holder of its end). */
function waitingOn(c: WatchedChannel): ProcessRecord[] {
  const out: ProcessRecord[] = [];
  if (c.waitingEnds === undefined) return out;
  for (const end of c.waitingEnds()) {
    const p = soleHolder(end.holders);
    if (p !== null) out.push(p);
  }
  return out;
}
