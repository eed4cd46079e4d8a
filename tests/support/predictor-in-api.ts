import { buildApp } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { predictorPlugin, type TestAppFactory } from '@stratus/predictor/testing';
import { closeTrialQueues, createTrialQueues } from '@stratus/store';

/**
 * Mounts the predictor in the API, as the all-in-one server does: a test server built with
 * it answers the job, model and version routes and the prediction routes on one port.
 */
export const inApi: TestAppFactory = (predictor, fixture) => {
  const queues = createTrialQueues(fixture.redis, fixture.prefix);
  const app = buildApp({
    config: fixture.config,
    store: fixture.store,
    storage: fixture.trial.storage,
    redis: fixture.redis,
    queues,
    logger: createApiLogger({ level: 'silent' }),
    plugins: [predictorPlugin({ predictor })],
  });
  return { app, close: () => closeTrialQueues(queues) };
};
