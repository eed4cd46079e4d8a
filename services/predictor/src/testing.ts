/**
 * Test fixtures for tests outside this service (`@stratus/predictor/testing`): the root
 * tests/ that run the predictor inside the API. Test-only: it is not built (the export points
 * at this source), so import it from tests run by vitest or tsx.
 */
export {
  httpCall,
  openPredictorFixture,
  predictorApp,
  scrapeMetrics,
  type HttpReply,
  type PredictorFixture,
  type TestApp,
  type TestAppFactory,
  type TestServer,
  type Tokens,
} from './predictor.test-support.js';
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
} from '@stratus/serving/testing';
// The same plugin the fixture's Predictor is typed for (this module resolves to source).
export { predictorPlugin } from './plugin.js';
