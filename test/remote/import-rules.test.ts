/**
 * The rules dependency-cruiser cannot see: blocking a thread on another (Atomics.wait) and reading
 * a port synchronously (receiveMessageOnPort) belong to the thread transport alone — nothing in the
 * remote layer, or anywhere else, may hold the event loop waiting for a peer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('blocking waits live only in the thread transport', () => {
  it('no file outside src/transports/threads mentions Atomics.wait or receiveMessageOnPort', () => {
    const offenders = files(SRC)
      .filter((path) => !relative(SRC, path).startsWith('transports/threads/'))
      .filter((path) => /Atomics\s*\.\s*wait|receiveMessageOnPort/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path));
    expect(offenders).toEqual([]);
  });
});
