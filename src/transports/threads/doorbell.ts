/**
 * Adaptive spin-then-wait for the thread transport. Waking a thread that sleeps in its event loop
 * costs tens of µs on an idle machine (the core it slept on must come out of idle) and a slice of
 * the waker's time; a thread that expects an answer soon does better to stay awake for it. So
 * every thread has a doorbell, a shared counter that a peer thread adds to after each message it
 * posts to one of this thread's ports (no system call: a plain atomic add). After this thread
 * sends to another thread, once it has nothing else to run (an immediate queued behind the
 * flush), it spins watching its doorbell for a short while; if it rings, it takes what arrived
 * straight from its ports and delivers it, without going to sleep and being woken. If it does not
 * ring in time, the thread waits as before, in its event loop.
 *
 * The spin adapts, as an adaptive lock's does: an answer heard while spinning keeps it at its
 * longest; each spin that heard nothing halves it, down to not spinning at all (a thread whose
 * peers answer late, or not at all, such as a stream's writer with credit to spare, or a machine
 * so loaded that the peer is not running, spends nothing); from there one send in PROBE_EVERY
 * tries the longest spin again.
 *
 * Invariants:
 * - only this thread's ports are drained, each in the order its messages were posted (they are
 *   taken from the one queue the port's 'message' events would have delivered them from);
 * - a spin never lasts longer than MAX_SPIN_US, and at most one is queued at a time;
 * - messages are delivered on the event loop (in an immediate), never from inside a send.
 */

/** This thread's doorbell: [0] counts messages peer threads have posted to this thread's ports. */
export const THREAD_BELL = new Int32Array(new SharedArrayBuffer(4));

/** The longest spin, µs: a little over a rendezvous answer's turnaround between two awake threads. */
const MAX_SPIN_US = 80;
/** Spins shorter than this are not worth it, µs. */
const MIN_SPIN_US = 8;
/** Sends between two tries of the longest spin while not spinning. */
const PROBE_EVERY = 256;

/** A port of this thread whose arrived messages can be taken and delivered at once. */
export interface Mailbox {
  /** Delivers every message waiting on the port; true if there was one. */
  drain(): boolean;
}

/** Rings a peer thread's doorbell after posting to one of its ports. */
export function ring(bell: Int32Array): void {
  Atomics.add(bell, 0, 1);
}

const boxes = new Set<Mailbox>();
let queued = false;
/** How long the next spin lasts, µs (adapts: see the top). */
let spin = MAX_SPIN_US;
let sinceProbe = 0;

export function addMailbox(box: Mailbox): void {
  boxes.add(box);
}

export function removeMailbox(box: Mailbox): void {
  boxes.delete(box);
}

/** A message went to a peer thread that may answer: spin for it once this thread is idle. */
export function expectAnswer(): void {
  if (queued) return;
  if (spin < MIN_SPIN_US) {
    if (++sinceProbe < PROBE_EVERY) return;
    sinceProbe = 0;
    spin = MAX_SPIN_US;
  }
  queued = true;
  setImmediate(listen);
}

function drainAll(): boolean {
  let any = false;
  for (const box of [...boxes]) if (box.drain()) any = true;
  return any;
}

function listen(): void {
  queued = false;
  const seen = Atomics.load(THREAD_BELL, 0);
  if (drainAll()) return;
  const start = performance.now();
  const until = spin / 1000;
  for (let i = 1; ; i++) {
    if (Atomics.load(THREAD_BELL, 0) !== seen) {
      if (drainAll()) {
        spin = MAX_SPIN_US;
        return;
      }
      break;
    }
    if ((i & 31) === 0 && performance.now() - start >= until) break;
  }
  spin /= 2;
}
