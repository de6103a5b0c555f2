/**
 * The alt-across-homes cases (src/testing/alt-homes.ts) on threads: channels living in two
 * worker threads and in this one, every guard of a worker channel a proxy.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { altHomesCases, altWorld } from '../../src/testing/alt-homes.js';
import { startRemoteHome, type RemoteHome } from '../../src/testing/remote-home.js';

let homes: RemoteHome[] = [];
beforeAll(async () => {
  homes = await Promise.all([startRemoteHome(), startRemoteHome()]);
});
afterAll(async () => {
  await Promise.all(homes.map((h) => h.dispose()));
});

describe('alt across homes on threads (two workers and this thread)', () => {
  for (const c of altHomesCases) {
    it(c.name, async () => {
      const [a, b] = homes as [RemoteHome, RemoteHome];
      await c.run(
        altWorld([(o) => a.chan(o), (o) => b.chan(o)], async () => {
          await a.settle();
          await b.settle();
        }),
      );
    });
  }
});
