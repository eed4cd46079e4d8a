/**
 * openBatchModel on real bundles in a local bucket: an Iris classifier trained with runTrial
 * (on TensorFlow.js and, from the model.onnx the trainer exports, on ONNX Runtime) and a raw
 * layers model that fails in the model on some ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { trialFixture, type TrialFixture } from '@stratus/trainer/testing';
import { openBatchModel, type BatchModel, type RowOutcome } from './batch-model.js';
import { rowPredictions } from './format-outputs.js';
import { IRIS_EXAMPLES, saveEmbeddingModel, trainIris } from './models.test-support.js';
import { prepareInstances } from './prepare-inputs.js';
import { ModelRunner } from './runtime/model-runner.js';

interface Classified {
  readonly label: string;
  readonly probabilities: Record<string, number>;
}

const MAX_PARAMS = 1_000_000;
let fixture: TrialFixture;
let irisUri: string;
const EMBEDDING_URI = 'gs://demo/embedding/v1';
const open: BatchModel[] = [];

/** A batch model that afterAll closes. */
const openModel = async (
  options: Partial<Parameters<typeof openBatchModel>[0]> & { uri: string },
): Promise<BatchModel> => {
  const model = await openBatchModel({
    storage: fixture.storage,
    runtime: 'tfjs',
    maxModelParams: MAX_PARAMS,
    ...options,
  });
  open.push(model);
  return model;
};

/** What the online predictor answers one `:predict` request of `instances` with. */
const onlinePredictions = async (
  uri: string,
  runtime: 'tfjs' | 'onnx',
  instances: readonly unknown[],
): Promise<unknown[]> => {
  const runner = new ModelRunner(fixture.storage, { maxModelParams: MAX_PARAMS, onnxThreads: 1 });
  try {
    const { signature } = await runner.load('online', uri, runtime);
    const prepared = prepareInstances(signature, instances);
    const outputs = await runner.run(
      'online',
      prepared.inputs.map((data, i) => ({
        data,
        shape: [prepared.rows, ...(prepared.rowShapes[i] ?? [])],
      })),
    );
    return rowPredictions(signature, { rows: prepared.rows, outputs });
  } finally {
    runner.unloadAll();
  }
};

/** Ten Iris instances: the three examples over and over, each nudged so no two are equal. */
const tenIrises = (): Record<string, number>[] =>
  Array.from({ length: 10 }, (_, i) => {
    const { instance } = IRIS_EXAMPLES[i % 3] ?? IRIS_EXAMPLES[0];
    return { ...instance, sepal_width: instance.sepal_width + i / 100 };
  });

const predictionOf = (outcome: RowOutcome | undefined): unknown =>
  outcome !== undefined && 'prediction' in outcome ? outcome.prediction : outcome;

beforeAll(async () => {
  fixture = await trialFixture();
  irisUri = await trainIris(fixture, 'gs://demo/jobs/iris_batch');
  await saveEmbeddingModel(fixture.storage, EMBEDDING_URI);
}, 120_000);
afterAll(async () => {
  for (const model of open) model.close();
  await fixture.cleanup();
});

describe('openBatchModel on a Stratus tabular bundle', () => {
  it('predicts every row as the online predictor does for the same instances', async () => {
    const model = await openModel({ uri: irisUri });
    expect([model.signature.kind, model.signature.runtime]).toEqual(['stratus', 'tfjs']);
    const instances = tenIrises();
    const outcomes = await model.predictRows(instances);
    expect(outcomes).toEqual(
      (await onlinePredictions(irisUri, 'tfjs', instances)).map((prediction) => ({ prediction })),
    );
    // One instance per request online gives the same rows as the batch.
    for (const [i, instance] of instances.entries()) {
      expect([predictionOf(outcomes[i])]).toEqual(
        await onlinePredictions(irisUri, 'tfjs', [instance]),
      );
    }
    expect(
      outcomes.slice(0, 3).map((outcome) => (predictionOf(outcome) as Classified).label),
    ).toEqual(IRIS_EXAMPLES.map((example) => example.label));
  });

  it('gives bad instances error outcomes at their positions and the rest the all-good predictions', async () => {
    const model = await openModel({ uri: irisUri });
    const instances: unknown[] = tenIrises();
    const good = await model.predictRows(instances);
    instances[3] = { ...tenIrises()[3], colour: 'blue' };
    instances[7] = 'a string';
    const outcomes = await model.predictRows(instances);
    expect(outcomes).toHaveLength(10);
    expect(outcomes[3]).toEqual({
      error:
        'Invalid prediction request: instances[3]: unknown feature "colour"; the model takes sepal_length, sepal_width, petal_length, petal_width',
    });
    expect(outcomes[7]).toEqual({
      error: 'Invalid prediction request: instances[7]: must be an object of feature values',
    });
    const rest = [0, 1, 2, 4, 5, 6, 8, 9];
    expect(rest.map((i) => outcomes[i])).toEqual(rest.map((i) => good[i]));
    expect(rest.every((i) => 'prediction' in (outcomes[i] ?? {}))).toBe(true);
  });

  it('gives an empty batch no outcomes', async () => {
    const model = await openModel({ uri: irisUri });
    expect(await model.predictRows([])).toEqual([]);
  });

  it('serves the bundle on ONNX Runtime: the labels tfjs gives, probabilities within 1e-5', async () => {
    const onnx = await openModel({ uri: irisUri, runtime: 'onnx' });
    const tfjs = await openModel({ uri: irisUri });
    expect(onnx.signature.runtime).toBe('onnx');
    const instances = tenIrises();
    const [fromOnnx, fromTfjs] = await Promise.all([
      onnx.predictRows(instances),
      tfjs.predictRows(instances),
    ]);
    expect(fromOnnx).toEqual(
      (await onlinePredictions(irisUri, 'onnx', instances)).map((prediction) => ({ prediction })),
    );
    fromOnnx.forEach((outcome, i) => {
      const a = predictionOf(outcome) as Classified;
      const b = predictionOf(fromTfjs[i]) as Classified;
      expect(a.label).toBe(b.label);
      for (const [label, probability] of Object.entries(b.probabilities)) {
        expect(Math.abs((a.probabilities[label] ?? NaN) - probability)).toBeLessThan(1e-5);
      }
    });
  });
});

describe('openBatchModel on a raw model', () => {
  it('fails only the rows the model fails on, with the model error', async () => {
    const model = await openModel({ uri: EMBEDDING_URI });
    expect(model.signature.kind).toBe('layers');
    // Ids 0..4 are rows of the table; 7 passes validation (an int32) but not the model.
    const outcomes = await model.predictRows([[1], [7], [4]]);
    expect(outcomes[1]).toEqual({
      error: expect.stringMatching(
        /^Invalid prediction request: the model failed on these instances: /,
      ) as unknown,
    });
    expect([outcomes[0], outcomes[2]]).toEqual([
      { prediction: (await onlinePredictions(EMBEDDING_URI, 'tfjs', [[1]]))[0] },
      { prediction: (await onlinePredictions(EMBEDDING_URI, 'tfjs', [[4]]))[0] },
    ]);
  });

  it('names an instance the model cannot take by its position', async () => {
    const model = await openModel({ uri: EMBEDDING_URI });
    const outcomes = await model.predictRows([[1], [0.5], [2, 3]]);
    expect(outcomes.slice(1)).toEqual([
      {
        error:
          'Invalid prediction request: instances[1]: input "ids" must be an integer (int32 input), got 0.5',
      },
      {
        error:
          'Invalid prediction request: instances[2]: input "ids" has shape [2]; the model takes [1] per instance',
      },
    ]);
    expect(outcomes[0]).toEqual({
      prediction: (await onlinePredictions(EMBEDDING_URI, 'tfjs', [[1]]))[0],
    });
  });
});

describe('openBatchModel options and lifecycle', () => {
  it('takes the signature the model serves and refuses any other, naming it', async () => {
    const model = await openModel({ uri: irisUri, signatureName: 'serving_default' });
    expect(model.signature.kind).toBe('stratus');
    const refused = await openModel({ uri: irisUri, signatureName: 'predict_proba' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StratusError);
    expect((refused as StratusError).reason).toBe('INVALID_PREDICT_REQUEST');
    expect((refused as StratusError).message).toBe(
      'Invalid prediction request: signatureName: the model has no signature "predict_proba"; it serves "serving_default"',
    );
  });

  it('refuses a model over maxModelParams before loading it', async () => {
    const refused = await openModel({ uri: irisUri, maxModelParams: 10 }).catch(
      (error: unknown) => error,
    );
    expect((refused as StratusError).reason).toBe('MODEL_TOO_LARGE');
  });

  it('refuses rows once closed', async () => {
    const model = await openModel({ uri: irisUri });
    model.close();
    const refused = await model.predictRows(tenIrises()).catch((error: unknown) => error);
    expect((refused as StratusError).reason).toBe('PREDICTOR_UNAVAILABLE');
    expect((refused as StratusError).context).toEqual({
      name: irisUri,
      detail: 'the batch model is closed',
    });
  });
});
