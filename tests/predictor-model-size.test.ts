/**
 * STRATUS_MAX_MODEL_PARAMS in the all-in-one server: a version whose
 * model.json declares more parameters than the limit ends FAILED naming the
 * count, and the process never allocates what the topology declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '@stratus/spec';
import { OVERSIZED_MODEL_JSON } from '@stratus/bundle/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  saveScaleModel,
} from '@stratus/predictor/testing';
import { inApi } from './support/predictor-in-api.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await f.trial.storage.write('gs://demo/models/huge/model.json', OVERSIZED_MODEL_JSON);
  await saveScaleModel(f.trial.storage, 'gs://demo/models/small', 2);
}, 60_000);
afterAll(() => f.close());

const p = '/v1/projects/default';
const refusal =
  'gs://demo/models/huge/model.json declares 117,600,000,000 parameters, over the limit of 100,000,000 (STRATUS_MAX_MODEL_PARAMS)';
const MB = 1024 * 1024;

describe('a model.json declaring 117.6 billion parameters', () => {
  it('ends FAILED naming the count, with RSS growing by less than 50 MB (threads: 0)', async () => {
    const server = await f.serve({ threads: 0 }, undefined, inApi);
    try {
      const created = await server.call('POST', `${p}/models`, {
        token: f.tokens.editor,
        body: { name: 'huge' },
      });
      expect(created.status).toBe(200);
      const before = process.memoryUsage().rss;
      const operation = await server.call('POST', `${p}/models/huge/versions`, {
        token: f.tokens.editor,
        body: { name: 'v1', deploymentUri: 'gs://demo/models/huge' },
      });
      expect(operation.status).toBe(200);
      const version = await f.waitForVersion('huge', 'v1');
      const grown = process.memoryUsage().rss - before;
      expect(version).toMatchObject({ state: 'FAILED', errorMessage: refusal });
      expect(grown).toBeLessThan(50 * MB);
      // A model within the limit still deploys on the same server.
      expect((await f.deploy('small', 'v1', 'gs://demo/models/small')).state).toBe('READY');
    } finally {
      await server.close();
    }
  });

  it('is refused the same way by a predictor thread (threads: 1)', async () => {
    const server = await f.serve({ threads: 1 }, undefined, inApi);
    try {
      const version: Version = await f.deploy('huge', 'v2', 'gs://demo/models/huge');
      expect(version).toMatchObject({ state: 'FAILED', errorMessage: refusal });
    } finally {
      await server.close();
    }
  });
});
