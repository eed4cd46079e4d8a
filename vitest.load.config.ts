import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:load`: the load tests in tests/load/, which the default run excludes. Files run
// one after another so each has the machine's cores to itself; each prints its figures.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One project of its own: not the default run's split.
    projects: undefined,
    include: ['tests/load/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
