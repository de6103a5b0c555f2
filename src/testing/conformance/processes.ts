/**
 * PR1–PR8: processes own their ends; par, seq and spawn; how a process's end spreads.
 */
import { par, process, ProcessError, seq, spawn, type Channel, type Reader, type Writer } from '../../index.js';
import { assert, assertPoisoned, assertRetired, caseOf, describe, opts, pollRead, readAll, rejection, settle, track, until } from './support.js';
import type { BufferKind, ConformanceCase } from './types.js';

const produce = process('produce', async (n: number, out: Writer<number>) => {
  for (let i = 0; i < n; i++) await out.write(i);
});

const consumeOne = process('consume-one', async (inp: Reader<number>) => {
  await inp.read();
});

const forward = process('forward', async (inp: Reader<number>, out: Writer<number>) => {
  for (;;) await out.write(await inp.read());
});

const put = process('put', async (value: number, out: Writer<number>) => {
  await out.write(value);
});

const note = process('note', async (log: string[], name: string) => {
  log.push(name);
});

function errorWithProcess(error: unknown): string | undefined {
  return (error as { process?: string }).process;
}

export function processCases(kind: BufferKind): ConformanceCase[] {
  return [
    caseOf('PR3', 'a process that returns normally retires its writer ends: the reader sees end-of-stream', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const r = c.reader();
      const run = track('par(produce)', par(produce(3, c.writer())));
      assert.deepEqual(await readAll(r), [0, 1, 2]);
      await run.promise;
    }),

    caseOf('PR3', 'a process that returns normally retires its reader ends: writers get RetiredError(readers-retired)', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const run = track('par(consume-one)', par(consumeOne(c.reader())));
      await w.write(1);
      await run.promise;
      assertRetired(await rejection('write after the only reader process ended', w.write(2)), 'readers-retired', 'write()');
    }),

    caseOf('PR4', 'a process ending by PoisonError poisons its ends with the same reason and origin', kind, async (t) => {
      const a = t.chan<number>(opts(kind, { name: 'upstream' }));
      const b = t.chan<number>(opts(kind, { name: 'downstream' }));
      const wa = a.writer();
      const rb = b.reader();
      const run = track('par(forward)', par(forward(a.reader(), b.writer())));
      await t.settle();
      wa.poison('halt');
      const error = assertPoisoned(await rejection('read downstream of the poison', rb.read()), 'halt', 'read()');
      assert.equal(error.origin.channel, a.name, 'PoisonError.origin names the channel first poisoned');
      await run.promise; // PR6: a termination is not an error
    }),

    caseOf('PR4', 'a process ending by RetiredError retires its ends: nothing is lost downstream', kind, async (t) => {
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const wa = a.writer();
      const reading = readAll(b.reader());
      const run = track('par(forward)', par(forward(a.reader(), b.writer())));
      await wa.write(1);
      await wa.write(2);
      wa.retire();
      assert.deepEqual(await reading, [1, 2]);
      await run.promise;
    }),

    caseOf('PR5', 'an error in a process poisons its ends and rejects par with that very error, naming the process', kind, async (t) => {
      const boom = new Error('boom');
      const failing = process('failing', async (_out: Writer<number>) => {
        throw boom;
      });
      const c = t.chan<number>(opts(kind));
      const r = c.reader();
      const error = await rejection('par(failing)', par(failing(c.writer())));
      assert.equal(error, boom, 'par rejects with the error thrown');
      assert.equal(errorWithProcess(error), 'failing', 'error.process');
      const poison = assertPoisoned(await rejection('read()', r.read()), boom, 'read() from the failed process');
      assert.equal(poison.origin.process, 'failing', 'PoisonError.origin.process');
      assert.equal(poison.origin.channel, c.name, 'PoisonError.origin.channel');
    }),

    caseOf('PR5', 'a thrown non-Error is wrapped in ProcessError; the innermost process is named', kind, async (t) => {
      const odd = process('odd', async (_out: Writer<number>) => {
        throw 'not an error'; // eslint-disable-line no-throw-literal
      });
      const c = t.chan<number>(opts(kind));
      const r = c.reader();
      const error = await rejection('par(odd)', par(odd(c.writer())));
      assert.ok(error instanceof ProcessError, `expected ProcessError, got ${describe(error)}`);
      assert.equal(error.process, 'odd');
      assert.equal(error.cause, 'not an error');
      assertPoisoned(await rejection('read()', r.read()), error, 'read() from the failed process');
      const boom = new Error('deep');
      const inner = process('inner', async () => {
        throw boom;
      });
      const outer = process('outer', async () => {
        await par(inner());
      });
      assert.equal(await rejection('par(outer)', par(outer())), boom);
      assert.equal(errorWithProcess(boom), 'inner', 'error.process names the innermost process');
    }),

    caseOf('PR6', 'par settles only after every process has ended, then rejects with the first real error', kind, async (t) => {
      const log: string[] = [];
      const boom = new Error('boom');
      const failing = process('failing', async (_out: Writer<number>) => {
        log.push('failing throws');
        throw boom;
      });
      const downstream = process('downstream', async (inp: Reader<number>) => {
        try {
          await inp.read();
        } finally {
          log.push('downstream ended');
        }
      });
      const waiting = process('waiting', async (inp: Reader<number>) => {
        log.push(`waiting got ${await inp.read()}`);
      });
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const wb = b.writer();
      const run = track('par', par(failing(a.writer()), downstream(a.reader()), waiting(b.reader())));
      await settle(t, 3);
      run.assertPending('while process "waiting" still runs');
      assert.deepEqual(log, ['failing throws', 'downstream ended']);
      await wb.write(1);
      assert.equal(await rejection('par', run.promise), boom);
      assert.deepEqual(log, ['failing throws', 'downstream ended', 'waiting got 1']);
    }),

    caseOf('PR6', 'par rejects with the first real error in time order, whatever the argument order', kind, async (t) => {
      const first = new Error('first');
      const second = new Error('second');
      const early = process('early', async (_out: Writer<number>) => {
        throw first;
      });
      const late = process('late', async (inp: Reader<number>) => {
        try {
          await inp.read();
        } catch {
          throw second;
        }
      });
      const c = t.chan<number>(opts(kind));
      assert.equal(await rejection('par', par(late(c.reader()), early(c.writer()))), first);
    }),

    caseOf('PR7', 'seq runs processes in order; a real error stops it, rejects, and poisons the ends of those not run', kind, async (t) => {
      const log: string[] = [];
      const boom = new Error('boom');
      const failing = process('failing', async () => {
        log.push('failing');
        throw boom;
      });
      const c = t.chan<number>(opts(kind));
      const r = c.reader();
      const error = await rejection('seq', seq(note(log, 'one'), note(log, 'two'), failing(), put(1, c.writer())));
      assert.equal(error, boom);
      assert.deepEqual(log, ['one', 'two', 'failing']);
      assertPoisoned(await rejection('read()', r.read()), boom, 'read() from a process seq never ran');
    }),

    caseOf('PR7', 'a termination stops seq, which resolves; the ends of those not run end the same way', kind, async (t) => {
      const log: string[] = [];
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const rb = b.reader();
      a.writer().retire();
      await seq(note(log, 'one'), consumeOne(a.reader()), note(log, 'never'), put(1, b.writer()));
      assert.deepEqual(log, ['one']);
      assertRetired(await rejection('read()', rb.read()), 'writers-retired', 'read() after seq stopped by retirement');
      const c = t.chan<number>(opts(kind));
      const d = t.chan<number>(opts(kind));
      const rd = d.reader();
      c.writer().poison('stop');
      await seq(consumeOne(c.reader()), put(1, d.writer()));
      assertPoisoned(await rejection('read()', rd.read()), 'stop', 'read() after seq stopped by poison');
    }),

    caseOf('PR2', 'an end given to several processes of a par is let go by the last of them to end', kind, async (t) => {
      const gated = process('gated', async (value: number, gate: Reader<number>, out: Writer<number>) => {
        await gate.read();
        await out.write(value);
      });
      const c = t.chan<number>(opts(kind));
      const g1 = t.chan<number>(opts(kind));
      const g2 = t.chan<number>(opts(kind));
      const w = c.writer();
      const r = c.reader();
      const [open1, open2] = [g1.writer(), g2.writer()];
      const run = track('par', par(gated(1, g1.reader(), w), gated(2, g2.reader(), w)));
      await open1.write(0);
      assert.equal(await r.read(), 1);
      await settle(t, 2);
      assert.deepEqual(await pollRead(r), { ok: false, reason: 'empty' }, 'the shared end is still live while one holder runs');
      await open2.write(0);
      assert.equal(await r.read(), 2);
      assertRetired(await rejection('read()', r.read()), 'writers-retired', 'read() once both holders ended');
      await run.promise;
    }),

    caseOf('PR2', 'an end given to several processes of a seq is let go by the last of them to end', kind, async (t) => {
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const reading = readAll(c.reader());
      await seq(put(1, w), put(2, w));
      assert.deepEqual(await reading, [1, 2], 'both processes of the seq wrote through the shared end');
    }),

    caseOf('PR1', 'ends inside an array argument belong to the process', kind, async (t) => {
      const broadcast = process('broadcast', async (outs: Writer<number>[]) => {
        for (const out of outs) await out.write(7);
      });
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const reading = [readAll(a.reader()), readAll(b.reader())];
      await par(broadcast([a.writer(), b.writer()]));
      assert.deepEqual(await Promise.all(reading), [[7], [7]], 'each reader gets the value, then end-of-stream');
    }),

    caseOf('PR2', 'ends made while the process body starts belong to it', kind, async (t) => {
      const maker = process('maker', async (ch: Channel<number>) => {
        const out = ch.writer();
        await out.write(5);
      });
      const c = t.chan<number>(opts(kind));
      const reading = readAll(c.reader());
      await par(maker(c));
      assert.deepEqual(await reading, [5], 'the end made in the body retired when the process ended');
    }),

    caseOf('PR9', 'par, seq and spawn accept arrays of processes and plain functions, named after the function', kind, async (t) => {
      const log: string[] = [];
      const a = t.chan<number>(opts(kind));
      const b = t.chan<number>(opts(kind));
      const reading = [readAll(a.reader()), readAll(b.reader())];
      await par([put(1, a.writer()), put(2, b.writer())], async function helper() {
        log.push('helper');
      });
      assert.deepEqual(await Promise.all(reading), [[1], [2]]);
      await seq([() => log.push('first'), async () => log.push('second')]);
      await spawn(async () => log.push('spawned'));
      assert.deepEqual(log, ['helper', 'first', 'second', 'spawned']);
      const boom = new Error('named failure');
      const error = await rejection('par(named)', par(async function named() {
        throw boom;
      }));
      assert.equal(error, boom);
      assert.equal(errorWithProcess(error), 'named', 'a plain function is a process named after it');
      const nameless = [
        async (): Promise<void> => {
          throw new Error('nameless failure');
        },
      ];
      assert.equal(errorWithProcess(await rejection('par(nameless)', par(nameless))), 'anonymous');
    }),

    caseOf('PR2', 'a parent that makes ends and gives them to children keeps nothing open: a nested network ends by itself', kind, async (t) => {
      const got: number[] = [];
      const collect = process('collect', async (inp: Reader<number>) => {
        for await (const v of inp) got.push(v);
      });
      const parent = process('parent', async () => {
        const inner = t.chan<number>(opts(kind));
        await par(produce(3, inner.writer()), collect(inner.reader()));
      });
      const run = track('par(parent)', par(parent()));
      await until(t, () => run.settled, 'the nested network to end (its ends were handed over to the children)');
      run.value();
      assert.deepEqual(got, [0, 1, 2]);
    }),

    caseOf('PR8', 'spawn starts a process without waiting and returns the promise a par of it would', kind, async (t) => {
      const log: string[] = [];
      const logger = process('logger', async (inp: Reader<number>) => {
        log.push(`got ${await inp.read()}`);
      });
      const c = t.chan<number>(opts(kind));
      const w = c.writer();
      const done = track('spawn(logger)', spawn(logger(c.reader())));
      await settle(t, 2);
      done.assertPending('while the process waits');
      await w.write(1);
      await done.promise;
      assert.deepEqual(log, ['got 1']);
      const boom = new Error('spawned failure');
      const failing = process('spawned', async () => {
        throw boom;
      });
      const error = await rejection('spawn(failing)', spawn(failing()));
      assert.equal(error, boom);
      assert.equal(errorWithProcess(error), 'spawned');
    }),
  ];
}
