/**
 * Counted, not timed: what leaves a farm worker when a task body submits tasks (its own queue
 * keeps them, sharing at most `budget` with the other farm workers at a time), and that the
 * submissions of one turn leave together. The farm worker's outbox is replaced by a list, so
 * every message is counted.
 */
import { describe, expect, test } from 'vitest';
import { CancelledError } from 'cspflow/futures';
import { ItemContext, type FarmHost } from '../../src/futures/context.js';
import { LocalFirst } from '../../src/futures/local-first.js';
import type { BackMessage, Submission } from '../../src/futures/messages.js';
import type { Outbox } from '../../src/futures/outbox.js';
import type { Enqueued, Requester, Sink } from '../../src/futures/requester.js';
import { Submitter } from '../../src/futures/submitter.js';
import { WorkerRequester } from '../../src/futures/worker-requester.js';

const OWN = 'own';
const OTHER = 'other';

function farmSide(budget: number) {
  const sent: BackMessage[] = [];
  const outbox = { push: (m: BackMessage) => sent.push(m) } as unknown as Outbox<BackMessage>;
  const remote = new WorkerRequester([OWN, OTHER], 3, outbox);
  const local = new LocalFirst(OWN, budget, remote, () => {});
  const submitter = new Submitter(local);
  return { sent, remote, local, submitter };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a farm worker keeps its own nested submissions', () => {
  test('100 submissions of its own task in one turn: one message, sharing the 2 oldest; the newest runs here first', async () => {
    const { sent, local, submitter } = farmSide(2);
    const futures = Array.from({ length: 100 }, (_, x) => submitter.submit<number>('test', OWN, [x], null));
    await turn();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ k: 's', o: 3, task: OWN, xs: [0, 1], h: 1 });
    expect(local.size).toBe(98);
    const newest = local.take();
    expect(newest?.input).toBe(99);
    newest?.sink.value(newest.pos, 'ran here');
    expect(await futures[99]).toBe('ran here');
  });

  test('each shared item that settles lets the next oldest be shared', async () => {
    const { sent, remote, local, submitter } = farmSide(2);
    const futures = Array.from({ length: 10 }, (_, x) => submitter.submit<number>('test', OWN, [x], null));
    await turn();
    const first = sent[0] as Submission;
    remote.outcomes({ k: 'r', b: first.b, i: 0, v: [100] });
    expect(await futures[0]).toBe(100);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ k: 's', xs: [2], h: 1 });
    expect(local.size).toBe(7);
  });

  test('shared items read back by the same farm worker no longer count as shared', async () => {
    const { sent, local, submitter } = farmSide(2);
    Array.from({ length: 10 }, (_, x) => submitter.submit<number>('test', OWN, [x], null));
    await turn();
    local.cameBack(2);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ xs: [2, 3] });
    local.backDone(2);
    expect(sent).toHaveLength(2);
  });

  test('with nobody to share with (budget 0) nothing leaves', async () => {
    const { sent, local, submitter } = farmSide(0);
    Array.from({ length: 10 }, (_, x) => submitter.submit<number>('test', OWN, [x], null));
    await turn();
    expect(sent).toHaveLength(0);
    expect(local.size).toBe(10);
  });

  test('a queued item can be cancelled; a shared one cannot', async () => {
    const { local, submitter } = farmSide(1);
    const futures = Array.from({ length: 3 }, (_, x) => submitter.submit<number>('test', OWN, [x], null));
    await turn();
    expect(futures[0]?.cancel()).toBe(false);
    expect(futures[2]?.cancel()).toBe(true);
    await expect(futures[2]).rejects.toBeInstanceOf(CancelledError);
    expect(local.size).toBe(1);
    expect(local.take()?.input).toBe(1);
    expect(local.take()).toBeNull();
  });

  test("submissions of another task in one turn leave as one message, as before", async () => {
    const { sent, submitter } = farmSide(2);
    Array.from({ length: 100 }, (_, x) => submitter.submit<number>('test', OTHER, [x], null));
    await turn();
    expect(sent).toHaveLength(1);
    expect((sent[0] as Submission).xs).toHaveLength(100);
    expect((sent[0] as Submission).h).toBeUndefined();
  });
});

describe('submissions of one turn are batched', () => {
  test('N submits of one task in one turn reach the dispatcher as one batch of N, each future settling on its own', async () => {
    const batches: { task: string; items: readonly unknown[]; sink: Sink }[] = [];
    const requester: Requester = {
      tasks: ['t', 'u'],
      enqueue: (task, items, _spread, sink): Enqueued => {
        batches.push({ task, items, sink });
        return { withdraw: () => false };
      },
      drop: () => {},
    };
    const submitter = new Submitter(requester);
    const ts = Array.from({ length: 1000 }, (_, x) => submitter.submit<number>('test', 't', [x], null));
    const us = Array.from({ length: 10 }, (_, x) => submitter.submit<number>('test', 'u', [x, x], null));
    await turn();
    expect(batches.map((b) => [b.task, b.items.length])).toEqual([
      ['t', 1000],
      ['u', 10],
    ]);
    const t = batches[0] as (typeof batches)[number];
    t.sink.values(0, [10, 11]);
    t.sink.failed(2, { kind: 'value', value: 'boom' });
    t.sink.cancelled(3);
    expect(await ts[0]).toBe(10);
    expect(await ts[1]).toBe(11);
    await expect(ts[2]).rejects.toBe('boom');
    await expect(ts[3]).rejects.toBeInstanceOf(CancelledError);
    expect(ts[4]?.status).toBe('pending');
    expect(us[0]?.status).toBe('pending');
  });
});

describe('a task that does not await what it submitted', () => {
  test('its unsettled children are told to the pool as orphans when it finishes, and untold one by one as they settle', () => {
    const told: number[] = [];
    const host = { taskName: 't', worker: 0, constants: new Map(), count: () => {}, orphans: (n: number) => told.push(n) } as unknown as FarmHost;
    const ctx = new ItemContext(host);
    ctx.childStarted();
    ctx.childStarted();
    ctx.childSettled();
    ctx.startedAsync();
    expect(told).toEqual([]);
    ctx.finished();
    expect(told).toEqual([1]);
    ctx.childSettled();
    expect(told).toEqual([1, -1]);
  });
});
