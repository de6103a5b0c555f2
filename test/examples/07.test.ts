import { expect, test } from 'vitest';
import { findTheDeadlock } from '../../examples/07-find-a-race.js';

test('07: the property finds the naive philosophers deadlocking and the printed replay repeats it', async () => {
  const result = await findTheDeadlock();
  expect(result.found).toBe(true);
  expect(result.report).toContain(`replay: "${result.replay}"`);
  expect(result.report).toContain('DeadlockError');
});
