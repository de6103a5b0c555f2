/**
 * Per-end order at a home: the steps of one end (writes, a retire, a release) happen in the order
 * they arrived, even when an earlier one has to wait for the channel. A step runs at once when
 * nothing of its end is pending; otherwise it is chained after the last one.
 *
 * Invariant: `he.tail` is the last step chained and not yet settled, or null; a failed step does
 * not stop the ones after it.
 */
import type { HomeEnd } from './home-end.js';

/** Runs `step` after the end's pending steps (at once if none); returns the step's own promise. */
export function chain(he: HomeEnd, step: () => Promise<void>): Promise<void> {
  const op = he.tail === null ? step() : he.tail.then(step);
  const tail = op.then(
    () => {},
    () => {},
  );
  he.tail = tail;
  void tail.then(() => {
    if (he.tail === tail) he.tail = null;
  });
  return op;
}

/** Runs the synchronous `step` after the end's pending steps: at once when none is pending. */
export function after(he: HomeEnd, step: () => void): void {
  if (he.tail === null) step();
  else
    void chain(he, async () => {
      step();
    }).catch(() => {});
}
