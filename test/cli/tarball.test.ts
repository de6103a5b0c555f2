/**
 * The `cspflow` bin as a user gets it: from the packed tarball, compiled, under plain node (no
 * tsx), running a JavaScript network module that imports 'cspflow' — on local and on threads.
 * Uses the build in dist/ (npm test builds first; run `npm run build` before this file alone).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { ROOT } from './run-cli.js';

const MODULE = `
import { network, process } from 'cspflow';

export const numbers = process('numbers', async (n, out) => {
  for (let i = 1; i <= n; i++) await out.write(i);
});
export const square = process('square', async (input, out) => {
  for await (const x of input) await out.write(x * x);
});
export const sum = process('sum', async (input) => {
  let total = 0;
  for await (const x of input) total += x;
  console.log('sum of squares: ' + total);
});

export default (args) => network((net) => {
  const xs = net.channel('xs', { buffer: 8 });
  const ys = net.channel('ys', { buffer: 8 });
  net.spawn(numbers(Number(args[0] ?? 10), xs.writer()));
  net.spawn(square(xs.reader(), ys.writer()), { replicas: 2 });
  net.spawn(sum(ys.reader()));
});
`;

describe('the bin from the packed tarball, under plain node', () => {
  let dir = '';
  let bin = '';

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'cspflow-pack-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[];
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    execFileSync('tar', ['-xzf', join(dir, (packed[0] as { filename: string }).filename), '-C', modules]);
    renameSync(join(modules, 'package'), join(modules, 'cspflow'));
    // Its dependencies: the ones installed here (the registry is not needed for this test).
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (entry !== 'cspflow' && entry !== '.bin' && !entry.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
    }
    writeFileSync(join(dir, 'net.mjs'), MODULE);
    writeFileSync(join(dir, 'net.ts'), 'export default 1;\n');
    const pkg = JSON.parse(readFileSync(join(modules, 'cspflow/package.json'), 'utf8')) as { bin: Record<string, string> };
    bin = join(modules, 'cspflow', pkg.bin['cspflow'] as string);
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const node = (args: readonly string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 90_000 });

  it('the bin is compiled JavaScript with a node shebang', () => {
    expect(bin.endsWith('dist/cli/main.js')).toBe(true);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('runs a network module on local and on threads, and draws it', () => {
    const local = node(['run', 'net.mjs', '--', '100']);
    expect(local.status).toBe(EXIT.ok);
    expect(local.stdout).toBe('sum of squares: 338350\n');
    expect(local.stderr).toMatch(/done in .* · numbers 100 · square ×2 100 · sum 100\n$/);
    const threads = node(['run', 'net.mjs', '--runtime', 'threads', '--', '100']);
    expect(threads.status).toBe(EXIT.ok);
    expect(threads.stdout).toBe('sum of squares: 338350\n');
    const graph = node(['graph', 'net.mjs', '--format', 'dot']);
    expect(graph.stdout).toContain('p1 -> p2 [label="ys\\nfixed(8)"];');
  });

  it('a TypeScript module under plain node: 3, saying how to run it', () => {
    const r = node(['run', 'net.ts']);
    expect(r.status).toBe(EXIT.notFound);
    expect(r.stderr).toContain('Plain node cannot load TypeScript');
  });
});
