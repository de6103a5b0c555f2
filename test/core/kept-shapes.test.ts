/**
 * A full GC between two networks keeps read and write optimized: the classes on the path of a
 * communication keep their hidden classes (KEPT_SHAPES in core/chan.ts) and no optimized code
 * guesses which promise it resolves (settleWith in core/waiter.ts). Before, every full GC after a
 * network was dropped threw that code away, and the next network ran slow until optimized again.
 * Counted, not timed: V8 is asked whether the functions are optimized, in a child process started
 * with the flags that allow asking.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/kept-shapes.ts', import.meta.url));

it('read and write stay optimized across a full GC after their network is dropped', () => {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--conditions=cspflow-source', '--import', 'tsx', FIXTURE], { encoding: 'utf8' });
  const seen = JSON.parse(out.trim().split('\n').pop() as string) as { before: Record<string, boolean>; after: Record<string, boolean> };
  expect(seen.before).toEqual({ read: true, write: true });
  expect(seen.after).toEqual({ read: true, write: true });
});
