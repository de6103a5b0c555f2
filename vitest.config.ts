import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['cspflow-source'] },
  ssr: { resolve: { conditions: ['cspflow-source'], externalConditions: ['cspflow-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
