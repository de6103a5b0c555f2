import { expect, test } from 'vitest';
import { runExample } from './run-example.js';

test('06: the same network runs on local() and threads({ size: 2 }) and prints the same result', async () => {
  expect(await runExample('06-same-network-both-ways.ts')).toBe(
    'local: sum of squares 1..1000 = 333833500 (1000 values)\nthreads: sum of squares 1..1000 = 333833500 (1000 values)\n',
  );
});
