/**
 * Batch prediction (`openBatchModel` from @stratus/serving, what the workers run) answers each
 * instance as this predictor's `:predict` does, on the same bundle, with model calls on a
 * worker thread of the pool (the thread entry loads its runner from @stratus/serving).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBatchModel, type BatchModel } from '@stratus/serving';
import { IRIS_EXAMPLES, saveEmbeddingModel, trainIris } from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

let f: PredictorFixture;
let server: TestServer;
let irisUri: string;
const EMBEDDING_URI = 'gs://demo/embedding/v1';
const models: BatchModel[] = [];

beforeAll(async () => {
  f = await openPredictorFixture();
  irisUri = await trainIris(f.trial, 'gs://demo/jobs/iris_parity');
  await saveEmbeddingModel(f.trial.storage, EMBEDDING_URI);
  server = await f.serve({ threads: 1 });
  expect((await f.deploy('iris', 'v1', irisUri)).state).toBe('READY');
  expect((await f.deploy('embedding', 'v1', EMBEDDING_URI)).state).toBe('READY');
}, 120_000);
afterAll(async () => {
  for (const model of models) model.close();
  await f.close();
});

const batchModel = async (uri: string): Promise<BatchModel> => {
  const model = await openBatchModel({
    storage: f.trial.storage,
    uri,
    runtime: f.config.predictor.runtime,
    maxModelParams: f.config.limits.maxModelParams,
    onnxThreads: f.config.predictor.onnxThreads,
  });
  models.push(model);
  return model;
};

const predict = (model: string, instances: readonly unknown[]) =>
  server.call<{ predictions?: unknown[]; error?: { message: string } }>(
    'POST',
    `/v1/projects/default/models/${model}/versions/v1:predict`,
    { token: f.tokens.editor, body: { instances } },
  );

describe('batch prediction and online :predict', () => {
  it('give the same prediction for every Iris instance, in one request or one each', async () => {
    const instances = Array.from({ length: 12 }, (_, i) => {
      const { instance } = IRIS_EXAMPLES[i % 3] ?? IRIS_EXAMPLES[0];
      return { ...instance, petal_length: instance.petal_length + i / 50 };
    });
    const outcomes = await (await batchModel(irisUri)).predictRows(instances);
    const online = await predict('iris', instances);
    expect(online.status).toBe(200);
    expect(outcomes).toEqual(online.body.predictions?.map((prediction) => ({ prediction })));
    for (const [i, instance] of instances.entries()) {
      expect((await predict('iris', [instance])).body.predictions).toEqual([
        (outcomes[i] as { prediction: unknown }).prediction,
      ]);
    }
  });

  it('refuse a bad instance with the same reason', async () => {
    const good = IRIS_EXAMPLES[0].instance;
    const bad = { ...good, petal_width: 'wide' };
    const outcomes = await (await batchModel(irisUri)).predictRows([good, bad]);
    const online = await predict('iris', [bad]);
    expect(online.status).toBe(400);
    // Online the instance is the request's first; in the batch, its second.
    expect(outcomes[1]).toEqual({
      error: online.body.error?.message.replace('instances[0]', 'instances[1]'),
    });
    expect(outcomes[0]).toEqual({
      prediction: (await predict('iris', [good])).body.predictions?.[0],
    });
  });

  it('fail a row the model fails on as :predict fails that instance', async () => {
    const outcomes = await (await batchModel(EMBEDDING_URI)).predictRows([[2], [9]]);
    const online = await predict('embedding', [[9]]);
    expect(online.status).toBe(400);
    expect(outcomes).toEqual([
      { prediction: (await predict('embedding', [[2]])).body.predictions?.[0] },
      { error: online.body.error?.message },
    ]);
  });
});
