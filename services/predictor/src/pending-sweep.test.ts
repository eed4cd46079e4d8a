/**
 * Versions still CREATING are looked for again every `pendingSweepMs`, so a
 * version whose deploy event this predictor never heard (its subscription was
 * reconnecting, or a Redis crash lost the READY write) still becomes READY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStore } from '@stratus/store';
import { saveScaleModel } from '@stratus/serving/testing';
import { Predictor } from './predictor.js';
import { openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/sweep/two', 2);
}, 60_000);
afterAll(() => f.close());

/** The fixture's store, except that deploy events never arrive. */
const deaf = (store: JobStore): JobStore => ({
  ...store,
  events: {
    ...store.events,
    subscribeDeploys: () => Promise.resolve({ close: () => Promise.resolve() }),
  },
});

const startPredictor = async (pendingSweepMs: number): Promise<Predictor> => {
  const predictor = new Predictor({
    config: f.config,
    store: deaf(f.store),
    storage: f.trial.storage,
    limits: { threads: 0 },
    pendingSweepMs,
  });
  await predictor.start();
  await predictor.settled();
  return predictor;
};

describe('the pending-version sweep', () => {
  it('brings a version it heard no event for to READY', async () => {
    const predictor = await startPredictor(200);
    try {
      await f.store.models.create('default', { name: 'sweep' });
      await f.store.versions.create('default', 'sweep', {
        name: 'v1',
        deploymentUri: 'gs://demo/sweep/two',
      });
      const version = await f.waitForVersion('sweep', 'v1', 10_000);
      expect(version.state).toBe('READY');
      expect(predictor.loadedVersions()).toEqual(['default/sweep/v1']);
    } finally {
      await predictor.close();
    }
  });

  it('leaves it CREATING without the sweep (0: only at start)', async () => {
    const predictor = await startPredictor(0);
    try {
      await f.store.versions.create('default', 'sweep', {
        name: 'v2',
        deploymentUri: 'gs://demo/sweep/two',
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await f.store.versions.get('default', 'sweep', 'v2')).state).toBe('CREATING');
      expect(predictor.loadedVersions()).toEqual([]);
    } finally {
      await predictor.close();
    }
  });
});
