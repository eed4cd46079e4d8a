import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScaleModel } from '@stratus/serving/testing';
import { openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://beta-data/scale', 2);
  await f.store.buckets.claim('beta', 'beta-data');
  await f.serve();
}, 120_000);
afterAll(() => f.close());

describe('the predictor re-checks bucket access before loading a bundle', () => {
  it('fails a version whose bucket belongs to another project, and loads it once granted', async () => {
    // Stored without the API's check (as if the grant was revoked after create).
    const refused = await f.deploy('stolen', 'v1', 'gs://beta-data/scale');
    expect([refused.state, refused.errorMessage]).toEqual([
      'FAILED',
      'Permission denied: deploymentUri: bucket "beta-data" belongs to another project',
    ]);
    expect(await f.redis.hget(f.store.keys.buckets.owners, 'beta-data')).toBe('beta');

    await f.store.buckets.grant('beta', 'beta-data', f.config.defaultProject, 'READER');
    const granted = await f.deploy('stolen', 'v2', 'gs://beta-data/scale');
    expect([granted.state, granted.errorMessage]).toEqual(['READY', undefined]);
  });
});
