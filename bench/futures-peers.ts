/**
 * piscina beside cspflow/futures in bench/futures.ts: the same two tasks (x + 1, and one Monte
 * Carlo π task) in a worker file of their own, on a pool of 2 threads kept for the whole run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { piHitsOf } from './futures-tasks.js';

const FILE = ((): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'cspflow-bench-futures-')), 'tasks.mjs');
  writeFileSync(file, `export function inc(x) { return x + 1; }\nconst piHitsOf = ${piHitsOf.toString()};\nexport function pi(job) { return piHitsOf(job.seed, job.samples); }\n`);
  return file;
})();

export interface PeerPool {
  inc(x: number): Promise<number>;
  pi(job: { seed: number; samples: number }): Promise<number>;
  close(): Promise<void>;
}

export function piscina(): PeerPool {
  const pool = new Piscina({ filename: FILE, minThreads: 2, maxThreads: 2 });
  return {
    inc: (x) => pool.run(x, { name: 'inc' }) as Promise<number>,
    pi: (job) => pool.run(job, { name: 'pi' }) as Promise<number>,
    close: () => pool.destroy(),
  };
}
