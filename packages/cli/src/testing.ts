/**
 * Test helpers the repository's cross-service tests share with this
 * package's own (`@stratus/cli/testing`): sandboxes for `stratus` runs (a
 * temp home, a Redis prefix), Iris files, an unused port. Test-only: it is
 * not built (the export points at this source), so import it from tests run
 * by vitest or tsx.
 */
export {
  IRIS_INSTANCES,
  TEST_REDIS_URL,
  openServeSandbox,
  unusedPort,
  writeIrisCsv,
  type ServeSandbox,
} from './sandbox.test-support.js';
