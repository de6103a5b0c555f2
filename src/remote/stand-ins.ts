/**
 * Stand-ins: at a channel's home, a ProcessRecord stands for each remote process that holds one of
 * its ends, so retirement by the last holder, poison spreading, pending-operation caps and
 * deadlock detection are the core's own code across the link. A stand-in is in its runtime's
 * `live` set while it holds an end (a keeper — a remote `seq` — never is: it runs nothing).
 *
 * Invariants:
 * - a stand-in is in `byPid` iff it holds at least one end through this link;
 * - `held` counts the ends it holds; the last one let go, it leaves the runtime.
 */
import type { Ending } from '../core/ends.js';
import type { PoisonError } from '../core/errors.js';
import { ProcessRecord } from '../core/process-record.js';
import type { HomeEnd } from './home-end.js';
import { after } from './end-order.js';
import { POISON_TOKEN } from './wire-errors.js';

interface StandIn {
  readonly record: ProcessRecord;
  /** The home ends it holds. */
  readonly ends: Set<HomeEnd>;
}

/** Marks a PoisonError just made by a remote poison with that poison's token (first poison only). */
export function tagPoison(error: PoisonError | null, token: number | undefined): void {
  if (error !== null && token !== undefined && !Object.hasOwn(error, POISON_TOKEN)) {
    Object.defineProperty(error, POISON_TOKEN, { value: token, enumerable: false });
  }
}

/** The stand-ins of the processes on the other side of one link, by pid. */
export class StandIns {
  private readonly byPid = new Map<number, StandIn>();

  /** `left(he)` is told after an end may have left its channel (so its credit is given back). */
  constructor(private readonly left: (he: HomeEnd) => void) {}

  /** The pid of the remote process `record` stands for, or null if it is not one of these stand-ins. */
  pidOf(record: ProcessRecord): number | null {
    for (const [pid, s] of this.byPid) if (s.record === record) return pid;
    return null;
  }

  /** Remote process `pid` (named `name`) holds `he` from now on. */
  hold(he: HomeEnd, pid: number, name: string, keeper: boolean): void {
    let s = this.byPid.get(pid);
    if (s === undefined) {
      s = { record: new ProcessRecord(name, keeper), ends: new Set() };
      this.byPid.set(pid, s);
    }
    if (s.ends.has(he)) return;
    he.end.hold(s.record);
    s.ends.add(he);
    if (s.ends.size === 1 && !keeper) he.end.core.runtime.live.add(s.record);
  }

  /**
   * Remote process `pid` lets go of `he` as it ended. A retire waits for the end's values written
   * on credit (they count as buffered); a poison does not.
   */
  release(he: HomeEnd, pid: number, ending: Ending, token: number | undefined): void {
    const s = this.byPid.get(pid);
    if (s === undefined || !s.ends.has(he)) return;
    const step = (): void => this.letGo(s, pid, he, ending, token);
    if (ending.kind === 'poison' || he.credited === 0) step();
    else after(he, step);
  }

  /** Remote process `pid` has ended: it lets go of whatever it still holds (it may never have got to). */
  finish(pid: number, ending: Ending): void {
    const s = this.byPid.get(pid);
    if (s === undefined) return;
    for (const he of [...s.ends]) this.release(he, pid, ending, undefined);
  }

  /**
   * The link is lost: every end a stand-in holds is poisoned with `cause` (retired, on a channel
   * whose ends retire on loss), and the stand-ins leave.
   */
  loseAll(cause: Error): void {
    for (const s of this.byPid.values()) {
      for (const he of s.ends) {
        if (he.ch.lossRetires) he.end.retire();
        else he.end.poisonFrom(cause, undefined);
        this.left(he);
      }
      const runtime = [...s.ends][0]?.end.core.runtime;
      s.record.forgetEnds();
      runtime?.live.delete(s.record);
      runtime?.noteChange();
    }
    this.byPid.clear();
  }

  private letGo(s: StandIn, pid: number, he: HomeEnd, ending: Ending, token: number | undefined): void {
    if (!s.ends.delete(he)) return;
    const core = he.end.core;
    const before = core.poisoned;
    he.end.release(s.record, ending);
    if (before === null) tagPoison(core.poisoned, token);
    this.left(he);
    if (s.ends.size === 0) {
      this.byPid.delete(pid);
      core.runtime.live.delete(s.record);
      core.runtime.noteChange();
    }
  }
}

