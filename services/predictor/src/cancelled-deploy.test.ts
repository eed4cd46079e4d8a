/**
 * A deploy cancelled (operations.cancel) while a predictor is loading it:
 * the predictor's READY report is refused, so it unloads the bundle and
 * answers VERSION_NOT_READY instead of serving a FAILED version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStore } from '@stratus/store';
import { saveScaleModel } from '@stratus/serving/testing';
import { StratusError } from '@stratus/spec';
import { Predictor } from './predictor.js';
import { openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/cancel/two', 2);
}, 60_000);
afterAll(() => f.close());

/**
 * The fixture's store without deploy events, whose first version report
 * lands just after the operation is cancelled: the cancel wins the race
 * with the load, deterministically.
 */
const cancelledDuringLoad = (store: JobStore, operationId: string): JobStore => ({
  ...store,
  events: {
    ...store.events,
    subscribeDeploys: () => Promise.resolve({ close: () => Promise.resolve() }),
  },
  versions: {
    ...store.versions,
    finish: async (...args) => {
      await store.models.cancelOperation(args[0], operationId);
      return store.versions.finish(...args);
    },
  },
});

describe('a deploy cancelled while it loads', () => {
  it('is unloaded and refused, and the version stays FAILED', async () => {
    await f.store.models.create('default', { name: 'cancel' });
    const { operation } = await f.store.versions.create('default', 'cancel', {
      name: 'v1',
      deploymentUri: 'gs://demo/cancel/two',
    });
    const operationId = operation.name.split('/').pop() ?? '';
    const predictor = new Predictor({
      config: f.config,
      store: cancelledDuringLoad(f.store, operationId),
      storage: f.trial.storage,
      limits: { threads: 0 },
      pendingSweepMs: 0,
    });
    try {
      const refused = await predictor
        .describe({ project: 'default', model: 'cancel', version: 'v1' })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(StratusError);
      expect([(refused as StratusError).reason, (refused as StratusError).message]).toEqual([
        'VERSION_NOT_READY',
        'Version "projects/default/models/cancel/versions/v1" is FAILED, not READY',
      ]);
      expect(predictor.loadedVersions()).toEqual([]);
      const version = await f.store.versions.get('default', 'cancel', 'v1');
      expect([version.state, version.errorMessage]).toEqual([
        'FAILED',
        `Operation "${operation.name}" was cancelled`,
      ]);
      expect((await f.store.models.getOperation('default', operationId)).error?.code).toBe(1);
    } finally {
      await predictor.close();
    }
  });
});
