/**
 * D1–D2: deadlock detection. These cases use process/par only and await the par: they rely on
 * the runtime's own idle detection, not on t.settle().
 */
import { alt, DeadlockError, input, par, process, seq, timeout, type BlockedProcess, type Reader, type Writer } from '../../index.js';
import { assert, caseOf, describe, opts, rejection, settle, track, until } from './support.js';
import { waits, type BufferKind, type ConformanceCase } from './types.js';

function assertDeadlock(error: unknown, expected: readonly BlockedProcess[]): DeadlockError {
  assert.ok(error instanceof DeadlockError, `expected DeadlockError, got ${describe(error)}`);
  const byName = (x: BlockedProcess, y: BlockedProcess): number => (x.process < y.process ? -1 : x.process > y.process ? 1 : 0);
  const norm = (b: BlockedProcess): BlockedProcess => ({ process: b.process, operation: b.operation, channels: [...b.channels].sort() });
  assert.deepEqual([...error.blocked].map(norm).sort(byName), [...expected].map(norm).sort(byName), 'DeadlockError.blocked');
  for (const b of expected) {
    assert.ok(error.message.includes(b.process), `the message names process "${b.process}": ${error.message}`);
    for (const ch of b.channels) assert.ok(error.message.includes(ch), `the message names channel "${ch}": ${error.message}`);
  }
  return error;
}

/** Reads from `inp`, then writes to `out`: two of these reading each other's output deadlock. */
const readThenWrite = process('read-then-write', async (inp: Reader<number>, out: Writer<number>) => {
  await out.write(await inp.read());
});

export function deadlockCases(kind: BufferKind): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    caseOf('D1', 'two processes each waiting to read what the other would write: par rejects with DeadlockError', kind, async (t) => {
      const left = process('left', async (inp: Reader<number>, out: Writer<number>) => {
        await out.write(await inp.read());
      });
      const right = process('right', async (inp: Reader<number>, out: Writer<number>) => {
        await out.write(await inp.read());
      });
      const a = t.chan<number>(opts(kind, { name: 'dl-a' }));
      const b = t.chan<number>(opts(kind, { name: 'dl-b' }));
      const error = await rejection('par', par(left(a.reader(), b.writer()), right(b.reader(), a.writer())));
      assertDeadlock(error, [
        { process: 'left', operation: 'read', channels: [a.name] },
        { process: 'right', operation: 'read', channels: [b.name] },
      ]);
    }),

    caseOf('D1', 'a process blocked in an alt is reported with every channel it waits on', kind, async (t) => {
      const chooser = process('chooser', async (x: Reader<number>, y: Reader<number>, out: Writer<number>) => {
        const res = await alt([input(x), input(y)]);
        await out.write(res.value);
      });
      const holder = process('holder', async (inp: Reader<number>, x: Writer<number>, y: Writer<number>) => {
        const v = await inp.read();
        await x.write(v);
        await y.write(v);
      });
      const x = t.chan<number>(opts(kind, { name: 'dl-x' }));
      const y = t.chan<number>(opts(kind, { name: 'dl-y' }));
      const back = t.chan<number>(opts(kind, { name: 'dl-back' }));
      const error = await rejection('par', par(chooser(x.reader(), y.reader(), back.writer()), holder(back.reader(), x.writer(), y.writer())));
      assertDeadlock(error, [
        { process: 'chooser', operation: 'alt', channels: [x.name, y.name] },
        { process: 'holder', operation: 'read', channels: [back.name] },
      ]);
    }),

    caseOf('D1', 'a deadlocked process run by seq is reported too', kind, async (t) => {
      const selfWait = process('self-wait', async (inp: Reader<number>, _out: Writer<number>) => {
        await inp.read();
      });
      const c = t.chan<number>(opts(kind, { name: 'dl-seq' }));
      const run = track('seq', seq(selfWait(c.reader(), c.writer())));
      await until(t, () => run.settled, 'seq to settle: its only process waits on a channel whose every end it holds');
      assertDeadlock(run.error(), [{ process: 'self-wait', operation: 'read', channels: [c.name] }]);
    }),

    caseOf('D2', 'an end held by the main program prevents a deadlock report while it lives', kind, async (t) => {
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const wa = a.writer();
      const rb = b.reader();
      const run = track('par', par(readThenWrite(a.reader(), b.writer())));
      await settle(t, 5);
      run.assertPending('while the main program holds the writer the process waits on');
      const write = track('write(1)', wa.write(1));
      assert.equal(await rb.read(), 1);
      await run.promise;
      await write.promise;
    }),

    caseOf('D2', 'an operation with a timeout guard is never deadlocked', kind, async (t) => {
      const patient = process('patient', async (inp: Reader<number>, _out: Writer<number>) => {
        await alt([input(inp), timeout(0)]);
      });
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      // "other" waits on b, whose writer "patient" holds; "patient" waits on a (writer held by "other")
      // or its timeout. When the timeout fires, patient ends, b retires and other sees end-of-stream.
      await par(patient(a.reader(), b.writer()), readThenWrite(b.reader(), a.writer()));
    }),

    caseOf('D2', 'an operation with an abort signal is never deadlocked', kind, async (t) => {
      const controller = new AbortController();
      const abortable = process('abortable', async (inp: Reader<number>, _out: Writer<number>) => {
        await inp.read({ signal: controller.signal });
      });
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const run = track('par', par(abortable(a.reader(), b.writer()), readThenWrite(b.reader(), a.writer())));
      await settle(t, 5);
      run.assertPending('while an abort signal may still end the wait');
      const reason = new Error('given up');
      controller.abort(reason);
      assert.equal(await rejection('par', run.promise), reason, 'par rejects with the abort reason, not DeadlockError');
    }),

    caseOf('D1', 'only the deadlocked set is reported; the rest of the network runs on', kind, async (t) => {
      const log: string[] = [];
      const stuck = process('stuck', async (inp: Reader<number>, out: Writer<number>) => {
        try {
          await out.write(await inp.read());
        } catch (error) {
          log.push('stuck failed');
          throw error;
        }
      });
      const free = process('free', async (inp: Reader<number>) => {
        log.push(`free got ${await inp.read()}`);
      });
      const a = t.chan<number>(opts(kind, { name: 'dl-a' }));
      const b = t.chan<number>(opts(kind, { name: 'dl-b' }));
      const c = t.chan<number>(opts(kind, { name: 'dl-c' }));
      const wc = c.writer();
      const run = track('par', par(stuck(a.reader(), b.writer()), readThenWrite(b.reader(), a.writer()), free(c.reader())));
      await until(t, () => log.includes('stuck failed'), 'the deadlock to be detected');
      run.assertPending('while "free" still waits on the main program');
      await wc.write(3);
      const error = await rejection('par', run.promise);
      assertDeadlock(error, [
        { process: 'stuck', operation: 'read', channels: [a.name] },
        { process: 'read-then-write', operation: 'read', channels: [b.name] },
      ]);
      assert.deepEqual(log, ['stuck failed', 'free got 3']);
    }),
  ];

  if (waits(kind)) {
    cases.push(
      caseOf('D1', 'a writer blocked on a full channel whose reader waits elsewhere is reported', kind, async (t) => {
        const flood = process('flood', async (out: Writer<number>, _keep: Writer<number>, n: number) => {
          for (let i = 0; i < n; i++) await out.write(i);
        });
        const sink = process('sink', async (inp: Reader<number>, other: Reader<number>) => {
          await other.read();
          await inp.read();
        });
        const a = t.chan<number>(opts(kind, { name: 'dl-full' }));
        const b = t.chan<number>(opts(kind, { name: 'dl-idle' }));
        const error = await rejection('par', par(flood(a.writer(), b.writer(), kind.capacity + 1), sink(a.reader(), b.reader())));
        assertDeadlock(error, [
          { process: 'flood', operation: 'write', channels: [a.name] },
          { process: 'sink', operation: 'read', channels: [b.name] },
        ]);
      }),
    );
  }

  return cases;
}
