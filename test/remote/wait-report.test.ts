/**
 * Joining wait reports (src/remote/wait-report.ts): a ring whose appearances are spread over two
 * stations is one deadlock once aliases join a process's record and its stand-in; nothing is
 * found while a message is in flight (the counts of a link disagree, or a side is not quiet), or
 * while a holder of a ring channel is not blocked.
 */
import { describe, expect, it } from 'vitest';
import { DeadlockError } from '../../src/index.js';
import { consistent, findGlobalDeadlock, type WaitReport } from '../../src/remote/wait-report.js';

/** P runs at A, blocked reading x (living at A); M runs at B, blocked reading y (living at B); each writes the other's channel. */
function ring(counts = { ab: 3, ba: 2 }, quiet = true, mBlocked = true): WaitReport[] {
  const a: WaitReport = {
    station: 'A',
    links: [{ peer: 'B', sent: counts.ab, received: counts.ba, quiet }],
    processes: [
      { aliases: ['A!1', 'A>B#1'], name: 'p', blocked: { escapable: false, operation: 'read', channels: ['A/1'] } },
      { aliases: ['B>A#7'], name: 'm', blocked: null },
    ],
    channels: [{ key: 'A/1', name: 'x', ends: [['A!1'], ['B>A#7']] }],
  };
  const b: WaitReport = {
    station: 'B',
    links: [{ peer: 'A', sent: counts.ba, received: counts.ab, quiet: true }],
    processes: [
      { aliases: ['B!1', 'B>A#7'], name: 'm', blocked: mBlocked ? { escapable: false, operation: 'read', channels: ['B/1'] } : null },
      { aliases: ['A>B#1'], name: 'p', blocked: null },
    ],
    channels: mBlocked ? [{ key: 'B/1', name: 'y', ends: [['B!1'], ['A>B#1']] }] : [],
  };
  return [a, b];
}

describe('wait reports joined across stations', () => {
  it('find a ring spread over two stations, naming each process where it is blocked', () => {
    const reports = ring();
    expect(consistent(reports)).toBe(true);
    const found = findGlobalDeadlock(reports);
    expect(found?.error).toBeInstanceOf(DeadlockError);
    expect(found?.error.blocked.map((b) => `${b.process}:${b.channels.join()}`).sort()).toEqual(['m:y', 'p:x']);
    expect(Object.fromEntries(found?.members ?? [])).toEqual({ A: ['A!1'], B: ['B!1'] });
  });

  it('are not consistent while a message is in flight or a link has something to send', () => {
    expect(consistent(ring({ ab: 4, ba: 2 }).map((r, i) => (i === 0 ? r : { ...r, links: [{ peer: 'A', sent: 2, received: 3, quiet: true }] })))).toBe(false);
    expect(consistent(ring(undefined, false))).toBe(false);
  });

  it('find nothing while a holder of a ring channel is not blocked', () => {
    expect(findGlobalDeadlock(ring(undefined, true, false))).toBeNull();
  });
});
