import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript source under the `stratus-src`
// condition, so tests run against src/ without a build step.
const conditions = ['stratus-src', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['stratus-src'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
