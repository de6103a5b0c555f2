/**
 * The live page in a real browser: Debian's Chromium, headless, driven by playwright-core. Example
 * 18 runs as a child process; the page must show its processes, and a channel's written count
 * must rise (the DOM is polled, nothing sleeps); stopping the example ends the run and the page
 * says so. .ci/run installs chromium when it is missing.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** Starts example 18 and resolves with the address it prints. */
function startExample(): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; url: string; output: () => string }> {
  const child = spawn(process.execPath, [TSX, '--conditions=cspflow-source', 'examples/18-live-page.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /live view: (http:\/\/\S+)/.exec(out)?.[1];
      if (url !== undefined) resolve({ child, url, output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`example 18 exited (${code}) before printing its address:\n${out}`)));
  });
}

describe('the live page in headless Chromium', () => {
  let profile = '';
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
    profile = mkdtempSync(join(tmpdir(), 'cspflow-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  });

  afterAll(async () => {
    await context?.close();
    if (profile !== '') rmSync(profile, { recursive: true, force: true });
  });

  it('shows the processes of a running example, a count that rises, and the end of the run', async () => {
    const example = await startExample();
    const exited = new Promise<number | null>((resolve) => example.child.once('exit', resolve));
    try {
      const page = await (context as BrowserContext).newPage();
      const said: string[] = [];
      page.on('console', (m) => void said.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => void said.push(`error: ${e.message}`));
      await page.goto(example.url);
      // On a timeout below, what the page and the example said is the first thing to read.
      onTestFailed(async () => {
        console.log(`page status: ${await page.locator('#status').textContent()}\npage said:\n${said.join('\n')}\nexample printed:\n${example.output()}`);
      });
      // The processes of the network, in the table and as nodes of the graph.
      await page.waitForSelector('[data-process="ticker"]');
      expect(await page.locator('#processes [data-process="square"]').count()).toBe(2);
      expect(await page.locator('#processes [data-process="total"]').count()).toBe(1);
      expect(await page.locator('#graph [data-node-name="square"] text').first().textContent()).toBe('square ×2');
      // A value count that rises: the written count of "numbers", polled in the page.
      const first = Number(await page.locator('[data-channel="numbers"]').getAttribute('data-written'));
      const written = page.locator('[data-channel="numbers"]');
      await expect.poll(async () => Number(await written.getAttribute('data-written')), { timeout: 30_000 }).toBeGreaterThan(first);
      expect(await page.locator('#workers [data-worker="main"]').count()).toBe(1);
      // Stopping the example ends the run gracefully; the page says so.
      example.child.kill('SIGINT');
      await page.waitForSelector('body[data-ended="ok"]');
      expect(await page.locator('#run-state').textContent()).toBe('done');
      expect(await exited).toBe(0);
      expect(example.output()).toMatch(/stopped; the squares added up to \d+/);
    } finally {
      if (example.child.exitCode === null) example.child.kill('SIGKILL');
    }
  });
});
