/**
 * The package as a user gets it (issue 8): `npm pack`, installed into a scratch project with
 * `npm install <tarball>` (no fast-check, no tsx), then plain `node` — no flag — runs the README's
 * "Install and use from your project" snippet verbatim, `cspflow/testing`'s scheduler without
 * fast-check, and a program the exit report must catch.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Done {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sh(command: string, args: readonly string[], cwd: string): Promise<Done> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** The first ```js block after the README's "Install and use from your project" heading. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install and use from your project'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README: no js snippet under "Install and use from your project"');
  return match[1] as string;
}

let work: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cspflow-pack-'));
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', work], root);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename as string);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const installed = await sh('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed in a scratch project', () => {
  it("runs the README's snippet under plain node", async () => {
    writeFileSync(join(project, 'use.mjs'), readmeSnippet());
    expect(await sh(globalThis.process.execPath, ['use.mjs'], project)).toEqual({ code: 0, stdout: 'sum of squares 1..10 = 385\n', stderr: '' });
  });

  it('installs no optional peer: cspflow/testing runs its scheduler without fast-check, and an arbitrary says what to install', async () => {
    writeFileSync(
      join(project, 'scheduled.mjs'),
      `import { chan, par, process } from 'cspflow';
import { runScheduled, scheduleFromString, schedulerArb } from 'cspflow/testing';
const producer = process('producer', async (out, tag) => { for (let i = 0; i < 2; i++) await out.write(tag + i); });
const consumer = process('consumer', async (input, got) => { for await (const v of input) got.push(v); });
const run = await runScheduled(async () => {
  const c = chan({ name: 'c' });
  const got = [];
  await par(producer(c.writer(), 'a'), producer(c.writer(), 'b'), consumer(c.reader(), got));
  return got;
}, scheduleFromString(''));
console.log(run.value.join(' '), run.steps > 0);
try { schedulerArb(); } catch (error) { console.log(error.name, error.code, /npm install --save-dev fast-check/.test(error.message)); }
`,
    );
    const done = await sh(globalThis.process.execPath, ['scheduled.mjs'], project);
    expect(done).toEqual({ code: 0, stdout: 'a0 b0 a1 b1 true\nPeerMissingError ERR_CSPFLOW_PEER_MISSING true\n', stderr: '' });
    expect(readFileSync(join(project, 'package-lock.json'), 'utf8')).not.toMatch(/node_modules\/(fast-check|tsx)"/);
  });

  it('a TypeScript worker module without tsx installed: ModuleLoadError naming the module and saying to install tsx', async () => {
    writeFileSync(join(project, 'procs.ts'), `import { process } from 'cspflow';\nexport const nothing = process('nothing', async () => {});\n`);
    writeFileSync(
      join(project, 'no-tsx.mjs'),
      `import { network, process, run } from 'cspflow';
import { threads } from 'cspflow/threads';
const nothing = process('nothing', async () => {}); // as procs.ts defines it (this file cannot import a .ts file)
const procs = new URL('./procs.ts', import.meta.url);
try { await run(network((n) => n.spawn(nothing())), { runtime: threads({ size: 1, modules: [procs] }) }); console.log('resolved'); }
catch (error) { console.log(error.name, error.code, error.module === procs.href, /npm install --save-dev tsx/.test(error.message)); }
`,
    );
    const done = await sh(globalThis.process.execPath, ['no-tsx.mjs'], project);
    expect(done).toEqual({ code: 0, stdout: 'ModuleLoadError ERR_CSPFLOW_MODULE_LOAD true true\n', stderr: '' });
  });

  it('the exit report comes with the root entry: a read nobody satisfies is reported, exit code 1', async () => {
    writeFileSync(join(project, 'stuck.mjs'), `import { chan } from 'cspflow';\nconst c = chan({ name: 'never' });\nc.writer();\nawait c.reader().read();\n`);
    const done = await sh(globalThis.process.execPath, ['stuck.mjs'], project);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/the main program is blocked on read of "never"/);
  });
});
