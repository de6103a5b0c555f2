/**
 * src/core/errors.ts: every error's name, fields and message, and isTermination.
 */
import { describe, expect, it } from 'vitest';
import { DeadlockError, isTermination, PendingLimitError, PoisonError, ProcessError, RetiredError } from '../../src/index.js';
import { abortError } from '../../src/core/errors.js';

describe('PoisonError', () => {
  it('carries reason and origin, and names channel and process in its message', () => {
    const e = new PoisonError('shutdown', { channel: 'jobs', process: 'worker' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PoisonError');
    expect(e.reason).toBe('shutdown');
    expect(e.origin).toEqual({ channel: 'jobs', process: 'worker' });
    expect(e.message).toBe('channel "jobs" poisoned by process "worker": shutdown');
    expect(e.cause).toBeUndefined();
  });

  it('keeps an Error reason as its cause and describes it', () => {
    const reason = new TypeError('bad input');
    const e = new PoisonError(reason, { channel: 'c' });
    expect(e.cause).toBe(reason);
    expect(e.message).toBe('channel "c" poisoned: TypeError: bad input');
  });

  it('says nothing more when there is no reason', () => {
    expect(new PoisonError(undefined, { channel: 'c' }).message).toBe('channel "c" poisoned');
  });
});

describe('RetiredError', () => {
  it.each([
    ['writers-retired', /end of stream/],
    ['readers-retired', /every reader has retired/],
    ['end-retired', /can no longer be used/],
  ] as const)('why %s: channel, why and message', (why, message) => {
    const e = new RetiredError(why, 'pipe');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('RetiredError');
    expect(e.why).toBe(why);
    expect(e.channel).toBe('pipe');
    expect(e.guardIndex).toBeUndefined();
    expect(e.message).toMatch(/^channel "pipe": /);
    expect(e.message).toMatch(message);
  });
});

describe('DeadlockError', () => {
  it('lists every blocked process, its operation and channels', () => {
    const e = new DeadlockError([
      { process: 'left', operation: 'read', channels: ['a'] },
      { process: 'chooser', operation: 'alt', channels: ['x', 'y'] },
    ]);
    expect(e.name).toBe('DeadlockError');
    expect(e.blocked).toHaveLength(2);
    expect(e.message).toBe(
      'deadlock: 2 process(es) wait on channels nothing else can complete\n' +
        '  process "left" blocked on read of "a"\n' +
        '  process "chooser" blocked on alt of "x", "y"',
    );
  });
});

describe('PendingLimitError', () => {
  it('names the channel, side and limit, and says what to do', () => {
    const e = new PendingLimitError('jobs', 'writes', 16);
    expect(e.name).toBe('PendingLimitError');
    expect(e.channel).toBe('jobs');
    expect(e.limit).toBe(16);
    expect(e.message).toMatch(/^channel "jobs" already has 16 pending writes\./);
    expect(e.message).toMatch(/Await each operation/);
    expect(e.message).toMatch(/chan\(\{ maxPending \}\)/);
  });
});

describe('ProcessError', () => {
  it('wraps a thrown non-Error with the process name', () => {
    const e = new ProcessError('parser', 42);
    expect(e.name).toBe('ProcessError');
    expect(e.process).toBe('parser');
    expect(e.cause).toBe(42);
    expect(e.message).toBe('process "parser" threw a non-Error value: 42');
  });
});

describe('isTermination', () => {
  it('is true for poison and retirement only', () => {
    expect(isTermination(new PoisonError('x', { channel: 'c' }))).toBe(true);
    expect(isTermination(new RetiredError('end-retired', 'c'))).toBe(true);
    expect(isTermination(new DeadlockError([]))).toBe(false);
    expect(isTermination(new Error('x'))).toBe(false);
    expect(isTermination('poison')).toBe(false);
  });
});

describe('abortError', () => {
  it("is the signal's reason when it is an Error, else an Error carrying it as cause", () => {
    const reason = new Error('stop');
    expect(abortError(AbortSignal.abort(reason))).toBe(reason);
    const wrapped = abortError(AbortSignal.abort('no thanks'));
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe('no thanks');
    expect(wrapped.cause).toBe('no thanks');
    const plain = abortError(AbortSignal.abort());
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('AbortError');
  });
});
