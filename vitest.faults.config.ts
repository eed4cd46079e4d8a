import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:faults`: the fault tests in tests/faults/ (killed workers, Redis restarts and
// crashes, an API restart, a bucket outage, runaway trainers), which the default run excludes.
// Each file starts its own redis-server; files run two at a time (sized for 2 cores).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One project of its own: not the default run's split.
    projects: undefined,
    include: ['tests/faults/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
