import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript source under the `stratus-src`
// condition, so tests run against src/ without a build step.
const conditions = ['stratus-src', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  // vitest passes ssr.resolve.conditions to its forks as Node `--conditions` flags. Node must
  // not see the bundler-only `module` condition: it would pick builds Node cannot load (e.g.
  // @opentelemetry/api's extensionless ESM, which prom-client requires).
  ssr: {
    resolve: {
      conditions: conditions.filter((condition) => condition !== 'module'),
      externalConditions: ['stratus-src'],
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // The slow suites have their own configs and scripts: `npm run test:faults`, `npm run test:load`.
    exclude: [...configDefaults.exclude, 'tests/faults/**', 'tests/load/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
