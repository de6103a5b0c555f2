// The entry of every cspflow worker thread (plain JS: on Node 20 a .ts file cannot be a worker
// entry). It loads the worker host — compiled, or from TypeScript source through tsx when this
// package runs from source — and the host imports exactly the modules the worker was started with.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker-host.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  globalThis[Symbol.for('cspflow.tsx')] = true;
  await import(new URL('./worker-host.ts', import.meta.url).href);
}
