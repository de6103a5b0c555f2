/**
 * D3 and what follows a DeadlockError: the documented limits hide deadlocks, never invent them.
 */
import { describe, expect, it } from 'vitest';
import { chan, DeadlockError, par, process, type Reader, type Writer } from '../../src/index.js';
import { track } from '../../src/testing/conformance/support.js';

const settle = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('deadlock detection limits (D3)', () => {
  it('a process with several operations pending at once is not examined', async () => {
    const both = process('both', async (ra: Reader<number>, rb: Reader<number>, _wa: Writer<number>, _wb: Writer<number>) => {
      await Promise.all([ra.read(), rb.read()]);
    });
    const a = chan<number>();
    const b = chan<number>();
    const wa = a.writer();
    const wb = b.writer();
    const run = track('par', par(both(a.reader(), b.reader(), wa, wb)));
    await settle(5);
    run.assertPending('a real deadlock goes unreported here (documented limit)');
    // The test still holds the ends' objects and completes the reads itself.
    await Promise.all([wa.write(1), wb.write(2)]);
    await run.promise;
  });

  it('an end made after the first await counts as the main program’s', async () => {
    let made: Writer<number> | null = null;
    const late = process('late', async () => {
      await Promise.resolve();
      const c = chan<number>();
      const r = c.reader();
      made = c.writer();
      await r.read();
    });
    const run = track('par', par(late()));
    await settle(5);
    run.assertPending('no deadlock is reported');
    await (made as unknown as Writer<number>).write(1);
    await run.promise;
  });
});

describe('after a DeadlockError', () => {
  it('the deadlocked processes poison their ends with it, reaching the main program', async () => {
    const stuck = process('stuck', async (inp: Reader<number>, _loop: Writer<number>, out: Writer<number>) => {
      await out.write(await inp.read());
    });
    const loop = chan<number>({ name: 'loop' });
    const out = chan<number>({ name: 'out' });
    const rOut = out.reader();
    const reading = rOut.read().catch((e: unknown) => e);
    const error = await par(stuck(loop.reader(), loop.writer(), out.writer())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as Error & { process?: string }).process).toBe('stuck');
    expect(await reading).toMatchObject({ name: 'PoisonError', reason: error });
  });
});
