/**
 * S1–S3 and useScheduler: every wake-up, alt order, timer and idle check goes through the
 * injected scheduler. The scheduler here is hand-written and records everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  alt,
  chan,
  DeadlockError,
  input,
  par,
  process,
  timeout,
  useScheduler,
  type Reader,
  type Scheduler,
  type Writer,
} from '../../src/index.js';
import { track } from '../../src/testing/conformance/support.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class RecordingScheduler implements Scheduler {
  proceed(): boolean {
    return false;
  }

  readonly wakes: { task: () => void; label: string }[] = [];
  readonly woken: string[] = [];
  readonly picks: number[] = [];
  readonly timers: { ms: number; fire: () => void; cancelled: boolean }[] = [];
  readonly idle: (() => void)[] = [];

  constructor(private readonly choose: (n: number) => number = () => 0) {}

  wake(task: () => void, label: string): void {
    this.wakes.push({ task, label });
  }

  pick(n: number): number {
    this.picks.push(n);
    return this.choose(n);
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { ms, fire, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  whenIdle(task: () => void): void {
    this.idle.push(task);
  }

  /** Runs every queued wake-up, in order, including those queued meanwhile. */
  runWakes(): void {
    for (let next = this.wakes.shift(); next !== undefined; next = this.wakes.shift()) {
      this.woken.push(next.label);
      next.task();
    }
  }

  /** Drives to quiescence: wake-ups, microtasks, then idle checks, until nothing is left. */
  async drive(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await flush();
      if (this.wakes.length > 0) this.runWakes();
      else if (this.idle.length > 0) this.idle.splice(0).forEach((task) => task());
      else return;
    }
    throw new Error('the scheduler never went quiet');
  }
}

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

function install(s: RecordingScheduler): RecordingScheduler {
  restore = useScheduler(s);
  return s;
}

describe('useScheduler', () => {
  it('S2: an operation commits at once, but both sides resume only when the scheduler wakes them', async () => {
    const s = install(new RecordingScheduler());
    const c = chan<number>({ name: 'pipe' });
    const r = c.reader();
    const w = c.writer();
    const read = track('read', r.read());
    const write = track('write', w.write(1));
    expect(r.tryRead()).toEqual({ ok: false, reason: 'empty' }); // the value has already moved
    await flush();
    read.assertPending('before the scheduler wakes it');
    write.assertPending('before the scheduler wakes it');
    expect(s.wakes.map((x) => x.label)).toEqual(['main read pipe', 'main write pipe']);
    s.runWakes();
    await flush();
    expect(read.value()).toBe(1);
    write.value();
  });

  it('S3: even an operation that completes at once is delivered through the scheduler', async () => {
    const s = install(new RecordingScheduler());
    const c = chan<number>({ name: 'buffered', buffer: 1 });
    const w = c.writer();
    const r = c.reader();
    const write = track('buffered write', w.write(1));
    const failed = track('read on a retired end', (() => {
      const other = c.reader();
      other.retire();
      return other.read();
    })());
    await flush();
    write.assertPending('before the scheduler wakes it');
    failed.assertPending('before the scheduler wakes it');
    s.runWakes();
    await flush();
    write.value();
    failed.error();
    expect(r.tryRead()).toEqual({ ok: true, value: 1 });
  });

  it('a fair alt asks the scheduler for its order (pick), and that order decides among ready guards', async () => {
    for (const [choose, winner] of [
      [(n: number) => n - 1, 0], // pick(i + 1) = i: no swap, guard 0 is offered first
      [() => 0, 1], // pick = 0: the last guard is swapped to the front
    ] as const) {
      const s = install(new RecordingScheduler(choose));
      const a = chan<number>({ buffer: 1 });
      const b = chan<number>({ buffer: 1 });
      a.writer().tryWrite(10);
      b.writer().tryWrite(20);
      const res = track('alt', alt([input(a.reader()), input(b.reader())]));
      expect(s.picks).toEqual([2]);
      await s.drive();
      expect(res.value()).toEqual({ index: winner, value: winner === 0 ? 10 : 20 });
      expect(s.woken).toContain('main alt[' + String(winner) + ']');
      restore?.();
      restore = null;
    }
  });

  it('timeouts are set through the scheduler, fire when it says, and are cancelled when another guard wins', async () => {
    const s = install(new RecordingScheduler());
    const c = chan<number>();
    const r = c.reader();
    const w = c.writer();
    const first = track('alt with a timeout', alt([input(r), timeout(250)]));
    expect(s.timers.map((t) => t.ms)).toEqual([250]);
    await s.drive();
    first.assertPending('before its timer fires');
    s.timers[0]?.fire();
    await s.drive();
    expect(first.value()).toEqual({ index: 1, value: undefined });
    expect(w.tryWrite(1)).toEqual({ ok: false, reason: 'full' }); // ALT2: no offer left on c

    const second = track('alt with a timeout that loses', alt([input(r), timeout(500)]));
    expect(w.tryWrite(2)).toEqual({ ok: true });
    await s.drive();
    expect(second.value()).toEqual({ index: 0, value: 2 });
    expect(s.timers[1]?.cancelled).toBe(true);
  });

  it('D4: deadlock detection runs only when the scheduler reports idleness', async () => {
    const s = install(new RecordingScheduler());
    const p = process('self-wait', async (inp: Reader<number>, _out: Writer<number>) => {
      await inp.read();
    });
    const c = chan<number>({ name: 'loop' });
    const run = track('par', par(p(c.reader(), c.writer())));
    for (let i = 0; i < 3; i++) {
      await flush();
      s.runWakes();
    }
    run.assertPending('while no idle check has run');
    expect(s.idle.length).toBe(1);
    await s.drive();
    const error = run.error();
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).blocked).toEqual([{ process: 'self-wait', operation: 'read', channels: ['loop'] }]);
  });

  it('restoring brings back the previous runtime: new channels no longer use the scheduler', async () => {
    const s = install(new RecordingScheduler());
    const before = chan<number>({ buffer: 1 });
    // Ends are made under the runtime of their channel (making one under another is refused).
    const beforeWriter = before.writer();
    restore?.();
    restore = null;
    const after = chan<number>({ buffer: 1 });
    await after.writer().write(1); // resolves with the real scheduler, without any wake-up recorded
    expect(s.wakes).toEqual([]);
    const write = track('write on a channel made under the scheduler', beforeWriter.write(1));
    await flush();
    write.assertPending('its runtime is still the recording one');
    expect(s.wakes.length).toBe(1);
    s.runWakes();
    await flush();
    write.value();
  });
});
