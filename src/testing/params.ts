/**
 * Seeds for property runs: every property test prints the seed it uses, so a failure can be
 * repeated with `CSPFLOW_SEED=<seed>`; without that variable each run takes a fresh seed.
 */
import type fc from 'fast-check';

/** fast-check parameters with a printed seed (CSPFLOW_SEED if set, else a fresh one). */
export function seededParams<T>(name: string, params: fc.Parameters<T> = {}): fc.Parameters<T> {
  const fromEnv = globalThis.process?.env?.CSPFLOW_SEED;
  const seed = params.seed ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (Math.random() * 0x7fffffff) | 0);
  console.log(`[cspflow/testing] ${name}: seed ${seed}   (CSPFLOW_SEED=${seed} repeats it)`);
  return { ...params, seed };
}
