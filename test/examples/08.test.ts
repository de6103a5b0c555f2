import { expect, test } from 'vitest';
import { depositTwice, findTheLostUpdate } from '../../examples/08-lost-update.js';
import { runScheduled, scheduleFromString } from 'cspflow/testing';

test('08: the natural order loses nothing, yet the property finds a schedule that loses an update, and replays it', async () => {
  expect((await runScheduled(depositTwice, scheduleFromString(''))).value).toBe(30);
  const result = await findTheLostUpdate();
  expect(result.found).toBe(true);
  expect(result.report).toContain(`replay: "${result.replay}"`);
});
