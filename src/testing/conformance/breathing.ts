/**
 * S4: a busy network lets the event loop breathe. Each case runs a network that waits on nothing
 * but its own channels (a writer and a reader passing values as fast as they can), stops it once
 * the event under test has happened, and fails if the network got through LIMIT steps first: the
 * event could only happen by the network giving the macrotask queue a turn. Asserted by counting
 * steps, never by the clock.
 */
import { alt, input, RetiredError, timeout, type Reader } from '../../index.js';
import { assert, caseOf, opts, track } from './support.js';
import type { BufferKind, ConformanceCase, ConformanceTransport } from './types.js';

/** Far more steps than any transport takes in a slice of time: reaching it means the loop starved. */
const LIMIT = 1_000_000;

/**
 * Runs a writer and a reader on one channel of `kind` until `stop()` holds (checked before every
 * write) or LIMIT writes; resolves with the number of writes made.
 */
async function busy(t: ConformanceTransport, kind: BufferKind, stop: () => boolean): Promise<number> {
  const c = t.chan<number>(opts(kind, { name: 'busy' }));
  const w = c.writer();
  const r = c.reader();
  let steps = 0;
  const writing = (async () => {
    while (steps < LIMIT && !stop()) await w.write(steps++);
    w.retire();
  })();
  const reading = (async () => {
    try {
      for (;;) await r.read();
    } catch (error) {
      if (!(error instanceof RetiredError && error.why === 'writers-retired')) throw error;
    }
  })();
  await Promise.all([writing, reading]);
  return steps;
}

function assertBreathed(steps: number, what: string): void {
  assert.ok(steps < LIMIT, `${what} only after the busy network had made ${steps} steps (it starved the event loop)`);
}

export function breathingCases(kind: BufferKind): ConformanceCase[] {
  return [
    caseOf('S4', 'a setImmediate callback runs while a busy network runs', kind, async (t) => {
      let ran = false;
      setImmediate(() => (ran = true));
      const steps = await busy(t, kind, () => ran);
      assertBreathed(steps, 'the setImmediate callback ran');
    }),

    caseOf('S4', 'a timer fires while a busy network runs', kind, async (t) => {
      let fired = 0;
      const handle = setInterval(() => fired++, 1);
      try {
        const steps = await busy(t, kind, () => fired >= 2);
        assertBreathed(steps, 'a 1 ms interval ticked twice');
      } finally {
        clearInterval(handle);
      }
    }),

    caseOf('S4', 'an abort from a macrotask reaches a read waiting beside a busy network', kind, async (t) => {
      const quiet = t.chan<number>(opts(kind, { name: 'quiet' }));
      const r: Reader<number> = quiet.reader();
      const controller = new AbortController();
      const reason = new Error('stop waiting');
      const waiting = track('read({ signal }) on a channel nobody writes', r.read({ signal: controller.signal }));
      setImmediate(() => controller.abort(reason));
      const steps = await busy(t, kind, () => waiting.settled);
      assertBreathed(steps, 'the aborted read rejected');
      assert.equal(waiting.error(), reason, 'the read rejects with signal.reason');
      quiet.writer().retire();
    }),

    caseOf('S4', 'a timeout guard fires while a busy network runs', kind, async (t) => {
      const quiet = t.chan<number>(opts(kind, { name: 'quiet' }));
      const keep = quiet.writer();
      const choice = track('alt([input(quiet), timeout(1)])', alt([input(quiet.reader()), timeout(1)]));
      const steps = await busy(t, kind, () => choice.settled);
      assertBreathed(steps, 'the timeout guard fired');
      assert.equal(choice.value().index, 1, 'the timeout guard wins: nobody writes to the quiet channel');
      keep.retire();
    }),
  ];
}
