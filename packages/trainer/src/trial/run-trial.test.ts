import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { loadBundle, predictInstances } from '@stratus/bundle';
import { runTrial } from './run-trial.js';
import {
  BOSTON_URI,
  IRIS_URI,
  trialFixture,
  trialSpec,
  type TrialFixture,
} from './trial-fixture.test-support.js';

let fixture: TrialFixture;
beforeAll(async () => {
  fixture = await trialFixture();
});
afterAll(async () => fixture.cleanup());

describe('runTrial with built-in algorithms', () => {
  it('trains the Iris dnn_classifier of docs/api.md to ≥ 0.90 validation accuracy and exports a bundle', async () => {
    const context = fixture.context();
    const result = await runTrial(
      trialSpec({
        scaleTier: 'BASIC',
        region: 'local',
        jobDir: 'gs://demo/jobs/iris_dnn_1',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: IRIS_URI,
          labelColumn: 'species',
          validationSplit: 0.2,
          epochs: 40,
          batchSize: 16,
          learningRate: 0.01,
          hiddenUnits: [32, 16],
          dropout: 0.1,
          optimizer: 'adam',
          seed: 7,
        },
      }),
      context,
    );
    expect(result.metricTag).toBe('val_accuracy');
    expect(result.objective).toBeGreaterThanOrEqual(0.9);
    expect(result.epochs).toBe(40);
    expect(result.modelDir).toBe('gs://demo/jobs/iris_dnn_1/model');
    expect(context.reporter.recorded.metrics).toHaveLength(40);
    expect(await fixture.storage.exists('gs://demo/jobs/iris_dnn_1/model/model.json')).toBe(true);
    expect(await fixture.storage.exists('gs://demo/jobs/iris_dnn_1/model/stratus.json')).toBe(true);

    const bundle = await loadBundle(fixture.storage, result.modelDir, { maxParams: 100_000_000 });
    const [setosa, virginica] = (await predictInstances(bundle, [
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 },
    ])) as Array<{ label: string; probabilities: Record<string, number> }>;
    expect(setosa?.label).toBe('setosa');
    expect(virginica?.label).toBe('virginica');
    const total = Object.values(setosa?.probabilities ?? {}).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 4);
    await expect(predictInstances(bundle, [{ sepal_length: 'long' }])).rejects.toThrow(
      /instances\[0\]: .*sepal_length/,
    );
    bundle.model.dispose();
  });

  it('trains a trial given 2 threads data-parallel on wasm, as accurate as on one', async () => {
    const context = { ...fixture.context(), trialThreads: 2 };
    const result = await runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/iris_threads',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: IRIS_URI,
          labelColumn: 'species',
          validationSplit: 0.2,
          epochs: 40,
          batchSize: 16,
          learningRate: 0.01,
          hiddenUnits: [32, 16],
          dropout: 0.1,
          optimizer: 'adam',
          seed: 7,
        },
      }),
      context,
    );
    const messages = context.reporter.recorded.logs.map((log) => log.message);
    expect(messages).toContain('Training data-parallel on 2 threads');
    expect(result.epochs).toBe(40);
    expect(result.objective).toBeGreaterThanOrEqual(0.9);
  });

  it('trains the Boston housing dnn_regressor to validation RMSE ≤ 6.0 ($1000s)', async () => {
    const context = fixture.context();
    const result = await runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/boston_1',
        builtinAlgorithm: {
          name: 'dnn_regressor',
          trainingData: BOSTON_URI,
          labelColumn: 'medv',
          epochs: 60,
          batchSize: 32,
          learningRate: 0.005,
          hiddenUnits: [64, 32],
          seed: 3,
        },
      }),
      context,
    );
    expect(result.metricTag).toBe('val_rmse');
    expect(result.objective).toBeLessThanOrEqual(6.0);
    expect(Object.keys(result.finalMetrics).sort()).toEqual([
      'loss',
      'mae',
      'rmse',
      'val_loss',
      'val_mae',
      'val_rmse',
    ]);
    const bundle = await loadBundle(fixture.storage, result.modelDir, { maxParams: 100_000_000 });
    const [prediction] = (await predictInstances(bundle, [
      {
        crim: 0.00632,
        zn: 18,
        indus: 2.31,
        chas: 0,
        nox: 0.538,
        rm: 6.575,
        age: 65.2,
        dis: 4.09,
        rad: 1,
        tax: 296,
        ptratio: 15.3,
        b: 396.9,
        lstat: 4.98,
      },
    ])) as Array<{ value: number }>;
    expect(prediction?.value).toBeGreaterThan(15);
    expect(prediction?.value).toBeLessThan(35);
    bundle.model.dispose();
  });

  it('applies trial hyperparameters given as Cloud ML strings', async () => {
    const context = fixture.context();
    const result = await runTrial(
      {
        ...trialSpec({
          jobDir: 'gs://demo/jobs/tuned',
          builtinAlgorithm: {
            name: 'linear_classifier',
            trainingData: IRIS_URI,
            labelColumn: 'species',
          },
        }),
        trialId: '3',
        tuning: true,
        hyperparameters: { learningRate: '0.05', epochs: '3' },
      },
      context,
    );
    expect(result.modelDir).toBe('gs://demo/jobs/tuned/3/model');
    expect(result.epochs).toBe(3);
    expect(
      await fixture.storage.exists(
        'gs://demo/jobs/tuned/3/checkpoints/epoch-000003/checkpoint.json',
      ),
    ).toBe(true);
  });

  it('rejects a hyperparameter the algorithm does not have', async () => {
    const error = await runTrial(
      {
        ...trialSpec({
          jobDir: 'gs://demo/jobs/bad',
          builtinAlgorithm: {
            name: 'linear_classifier',
            trainingData: IRIS_URI,
            labelColumn: 'species',
          },
        }),
        hyperparameters: { hiddenUnits: '8' },
      },
      fixture.context(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratusError);
    expect((error as StratusError).reason).toBe('INVALID_HYPERPARAMETER_VALUE');
  });

  it('refuses a built-in model over STRATUS_MAX_MODEL_PARAMS before building it', async () => {
    const error = await runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/too_wide',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: IRIS_URI,
          labelColumn: 'species',
          hiddenUnits: Array<number>(16).fill(16384),
        },
      }),
      fixture.context(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratusError);
    expect((error as StratusError).reason).toBe('MODEL_TOO_LARGE');
    expect((error as StratusError).message).toBe(
      `The dnn_classifier model (input [4], hiddenUnits [${Array<number>(16).fill(16384).join(', ')}]) declares 4,026,908,675 parameters, over the limit of 100,000,000 (STRATUS_MAX_MODEL_PARAMS)`,
    );
  });

  it('stops with TRIAL_CANCELLED when its signal aborts', async () => {
    const controller = new AbortController();
    const context = fixture.context(controller.signal);
    const pending = runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/cancelled',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: IRIS_URI,
          labelColumn: 'species',
          epochs: 500,
        },
      }),
      context,
    );
    setTimeout(() => controller.abort('cancelled by the user'), 300);
    await expect(pending).rejects.toMatchObject({ reason: 'TRIAL_CANCELLED' });
    expect(context.reporter.recorded.metrics.length).toBeLessThan(500);
  });

  it('stops early on its stopSignal, keeps the completed epochs and still exports the model', async () => {
    const stop = new AbortController();
    const context = {
      ...fixture.context(),
      stopSignal: stop.signal,
    };
    const reporter = context.reporter;
    const original = reporter.metrics.bind(reporter);
    reporter.metrics = (step, values) => {
      original(step, values);
      if (step === 3) stop.abort('median stopping rule');
    };
    const result = await runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/stopped_early',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: IRIS_URI,
          labelColumn: 'species',
          epochs: 200,
        },
      }),
      context,
    );
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs).toBe(3);
    expect(result.trainingStep).toBe(3);
    expect(result.objective).toBe(reporter.recorded.metrics[2]?.values.val_accuracy);
    expect(reporter.recorded.metrics).toHaveLength(3);
    expect(await fixture.storage.exists('gs://demo/jobs/stopped_early/model/model.json')).toBe(
      true,
    );
    expect(reporter.recorded.logs.map((l) => l.message)).toContain(
      'Stopped early after epoch 3 of 200',
    );
  });
});
