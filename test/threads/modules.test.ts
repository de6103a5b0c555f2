/**
 * The modules given to threads(): a relative path is refused with the fix, an absolute path works,
 * and a module a worker cannot load is a ModuleLoadError naming it (and its line) — a
 * configuration error, not WorkerCrashedError. threads() inside a worker is refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleLoadError, network, process, run, type Reader } from '../../src/index.js';
import { threads, WorkerCrashedError } from '../../src/threads/index.js';
import { nestedPool, numbers, total } from '../fixtures/thread-procs.js';

const MODULE = new URL('../fixtures/thread-procs.ts', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'cspflow-modules-'));
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ type: 'module' }));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sumTo(n: number, got: number[]) {
  return network((net) => {
    const xs = net.channel<number>('xs');
    net.spawn(numbers(n, xs.writer()));
    net.spawn(total(xs.reader(), (t: number) => got.push(t)), { place: 'main' });
  });
}

async function failure(modules: (string | URL)[]): Promise<Error> {
  const got: number[] = [];
  const error = await run(sumTo(3, got), { runtime: threads({ size: 1, modules }) }).then(
    () => new Error('the run resolved'),
    (e: unknown) => e as Error,
  );
  return error;
}

describe('module paths', () => {
  it('a relative path is refused, saying to resolve it against the caller', () => {
    const call = (): unknown => threads({ size: 1, modules: ['./thread-procs.ts'] });
    expect(call).toThrow(RangeError);
    expect(call).toThrow(/options\.modules\[0\].*relative path.*new URL\("\.\/thread-procs\.ts", import\.meta\.url\)/);
  });

  it('an absolute path is a file URL', async () => {
    const got: number[] = [];
    await run(sumTo(4, got), { runtime: threads({ size: 1, modules: [fileURLToPath(MODULE)] }) });
    expect(got).toEqual([10]);
  });
});

describe('a module a worker cannot load', () => {
  it('a syntax error in a JavaScript module: ModuleLoadError naming the module (Node 20 gives no line for it)', async () => {
    const file = join(scratch, 'broken.mjs');
    writeFileSync(file, 'export const a = 1;\n\nconst b = ;\n');
    const error = await failure([pathToFileURL(file)]);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error).not.toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ code: 'ERR_CSPFLOW_MODULE_LOAD', module: pathToFileURL(file).href });
    expect(error.message).toMatch(/broken\.mjs.*: SyntaxError: Unexpected token/);
  });

  it('a syntax error in a TypeScript module (through tsx): the same, with the line', async () => {
    const file = join(scratch, 'broken.ts');
    writeFileSync(file, 'export const a: number = 1;\nconst b = ;\n');
    const error = await failure([pathToFileURL(file)]);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error).toMatchObject({ module: pathToFileURL(file).href, line: 2 });
  });

  it('a module that is not there, or throws at its top level: ModuleLoadError naming it', async () => {
    const missing = pathToFileURL(join(scratch, 'missing.mjs'));
    expect(await failure([MODULE, missing])).toMatchObject({ name: 'ModuleLoadError', module: missing.href });
    const throws = join(scratch, 'throws.mjs');
    writeFileSync(throws, "throw new TypeError('no config');\n");
    const error = await failure([pathToFileURL(throws)]);
    expect(error).toMatchObject({ name: 'ModuleLoadError', module: pathToFileURL(throws).href, line: 1 });
    expect(error.message).toMatch(/TypeError: no config/);
  });
});

describe('a thread runtime inside a worker', () => {
  it('threads() called by a process running in a worker throws WorkerRuntimeError', async () => {
    const names: string[] = [];
    const collect = process('collect-names', async (input: Reader<string>) => {
      for await (const name of input) names.push(name);
    });
    const net = network((n) => {
      const out = n.channel<string>('out');
      n.spawn(nestedPool(out.writer()));
      n.spawn(collect(out.reader()), { place: 'main' });
    });
    await run(net, { runtime: threads({ size: 1, modules: [MODULE] }) });
    expect(names).toEqual(['WorkerRuntimeError']);
  });
});
