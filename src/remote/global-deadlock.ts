/**
 * Deadlock detection across stations, run by the runner of a remote run: from time to time (on
 * a timer backing off to one round a second; on a simulated network, whenever it is quiet after
 * some traffic — so runs replay exactly; nothing on any operation's path) it asks every peer for
 * its waits, takes its own last, and, when the reports make a consistent cut with nothing in
 * flight, fails the operations of every process in a deadlock that spans stations with one
 * DeadlockError, as one thread's detection does (wait-report.ts). A deadlock inside one station
 * is still found there, at once, by its runtime.
 */
import type { Scheduler } from '../core/scheduler.js';
import type { Peer } from './peer.js';
import type { Station } from './station.js';
import { consistent, findGlobalDeadlock } from './wait-report.js';

/** The first wait between rounds, and the longest. */
const FIRST_MS = 20;
const LONGEST_MS = 1000;

/** Starts the rounds (when the host says the network is quiet, if it can, else on a timer); returns what stops them. */
export function watchDeadlocks(station: Station, peers: readonly Peer[], scheduler: Scheduler, whenQuiet?: (listener: (traffic: number) => void) => () => void): () => void {
  let stopped = false;
  let delay = FIRST_MS;
  let cancel = (): void => {};
  let running = false;
  let traffic = -1;
  const round = async (): Promise<void> => {
    const reports = await Promise.all(peers.map((p) => p.askWaits()));
    if (stopped) return;
    const all = [station.reportWaits(), ...reports];
    if (!consistent(all)) return;
    const found = findGlobalDeadlock(all);
    if (found === null) return;
    for (const [at, aliases] of found.members) {
      if (at === station.id) station.abortDeadlocked(aliases, found.error);
      else peers.find((p) => p.id === at)?.tellDeadlock(aliases, found.error);
    }
  };
  if (whenQuiet !== undefined) {
    const stop = whenQuiet((now) => {
      if (running || now === traffic) return;
      traffic = now;
      running = true;
      const done = (): void => {
        running = false;
      };
      round().then(done, done);
    });
    return () => {
      stopped = true;
      stop();
    };
  }
  const next = (): void => {
    if (stopped) return;
    cancel = scheduler.setTimer(delay, () => {
      delay = Math.min(delay * 2, LONGEST_MS);
      round().then(next, next);
    });
  };
  next();
  return () => {
    stopped = true;
    cancel();
  };
}
