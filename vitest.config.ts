import { configDefaults, defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript source under the `stratus-src`
// condition, so tests run against src/ without a build step.
const conditions = ['stratus-src', 'import', 'module', 'node', 'default'];
const SLOW_SUITES = ['tests/faults/**', 'tests/load/**'];
/** Test files that load TensorFlow.js: the trainer's and the bundle package's. */
const TFJS_TESTS = ['packages/trainer/src/**/*.test.ts', 'packages/bundle/src/**/*.test.ts'];

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
    // The slow suites have their own configs and scripts: `npm run test:faults`, `npm run test:load`.
    exclude: [...configDefaults.exclude, ...SLOW_SUITES],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The trainer's and the bundle package's test files share one module graph (TensorFlow.js and
    // its backends): loading it again for each of ~35 files cost about a minute of a CI run.
    // Every other file keeps its own module graph.
    projects: [
      {
        extends: true,
        test: { name: 'trainer', include: TFJS_TESTS, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'stratus',
          include: [
            'packages/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'tests/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, ...SLOW_SUITES, ...TFJS_TESTS],
        },
      },
    ],
  },
});
