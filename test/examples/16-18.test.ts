/**
 * Examples 16–18. 16 prints the picture docs/observability.md shows; 17 is a network module run by
 * the CLI tests (test/cli); 18 is driven in a real browser (test/observe/browser.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { networkGraph } from '../../src/index.js';
import primes from '../../examples/17-long-run.js';
import { runExample } from './run-example.js';

test('16: the picture of a network, then its live variant while the pipeline is backed up behind a paused sum; the docs show both', async () => {
  const out = await runExample('16-network-picture.ts');
  const [picture, live, result] = out.trim().split('\n\n') as [string, string, string];
  expect(picture).toBe(
    [
      'flowchart LR',
      '  p0["numbers<br/>default"]',
      '  p1["square ×2<br/>default"]',
      '  p2["sum<br/>main"]',
      '  p0 -->|"xs<br/>fixed(4)"| p1',
      '  p1 -->|"squares<br/>fixed(4)"| p2',
    ].join('\n'),
  );
  expect(live).toBe(
    [
      'flowchart LR',
      '  p0["numbers<br/>default<br/>blocked<br/>20 items"]',
      '  p1["square ×2<br/>default<br/>2 blocked<br/>14 items"]',
      '  p2["sum<br/>main<br/>running<br/>10 items"]',
      '  p0 -->|"xs<br/>fixed(4)<br/>depth 4/4, 1 waiting to write"| p1',
      '  p1 -->|"squares<br/>fixed(4)<br/>depth 4/4, 2 waiting to write"| p2',
      '  class p0 blocked',
      '  class p1 blocked',
      '  class p2 running',
      '  classDef blocked fill:#fff3c4',
      '  classDef running fill:#d7f5dd',
    ].join('\n'),
  );
  expect(result).toBe('sum of squares 1..100 = 338350');
  const docs = await readFile(new URL('../../docs/observability.md', import.meta.url), 'utf8');
  expect(docs).toContain(`\`\`\`mermaid\n${picture}\n\`\`\``);
  expect(docs).toContain(`\`\`\`mermaid\n${live}\n\`\`\``);
});

test('17: the module makes its network from the command line’s argument and refuses a bad one', () => {
  expect(networkGraph(primes(['1000'])).processes.map((p) => [p.name, p.replicas])).toEqual([
    ['candidates', 1],
    ['is-prime', 2],
    ['count', 1],
  ]);
  expect(() => primes(['lots'])).toThrow(/the argument must be an integer >= 2/);
});
