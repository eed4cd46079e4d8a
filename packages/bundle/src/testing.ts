/**
 * Test fixtures other packages' tests reuse (`@stratus/bundle/testing`). Test-only: it is not
 * built (the export points at this source), so import it from tests run by vitest or tsx.
 */
export { OVERSIZED_MODEL_JSON, OVERSIZED_PARAMS } from './params/oversized-model.test-support.js';
