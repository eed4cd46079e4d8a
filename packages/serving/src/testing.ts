/**
 * Test fixtures other workspaces' tests reuse (`@stratus/serving/testing`): real model bundles
 * (an Iris and a Boston bundle trained with runTrial, raw tfjs layers and graph models).
 * Test-only: it is not built (the export points at this source), so import it from tests run
 * by vitest or tsx.
 */
export {
  BOSTON_EXAMPLES,
  IRIS_EXAMPLES,
  saveEmbeddingModel,
  saveGraphModel,
  saveImageBundle,
  saveScaleModel,
  trainBoston,
  trainIris,
  truncateShard,
} from './models.test-support.js';
