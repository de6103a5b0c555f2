import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.js';

describe('examples 01–05 run and print what they promise', () => {
  it('01 ping-pong', async () => {
    expect(await runExample('01-ping-pong.ts')).toBe('pong 1\npong 2\npong 3\ndone\n');
  });

  it('02 pipeline (the README quick start)', async () => {
    expect(await runExample('02-pipeline.ts')).toBe('sum of squares 1..10 = 385\n');
  });

  it('03 alt with timeout', async () => {
    expect(await runExample('03-alt-timeout.ts')).toBe('from fast: first\nfrom fast: second\ntimed out: nothing more to read\n');
  });

  it('04 poison shutdown', async () => {
    expect(await runExample('04-poison-shutdown.ts')).toBe('monitor saw 10: poisoning\nnetwork shut down\n');
  });

  it('05 prime sieve (the demo)', async () => {
    expect(await runExample('05-prime-sieve.ts', ['10'])).toBe('first 10 primes: 2 3 5 7 11 13 17 19 23 29\n');
  });

  it('the README quick start is example 02, verbatim', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('../../examples/02-pipeline.ts', import.meta.url), 'utf8');
    const code = example.slice(example.indexOf('import '));
    expect(readme).toContain(code.trim());
  });
});
