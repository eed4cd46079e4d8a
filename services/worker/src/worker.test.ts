import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type StratusWorker } from './worker.js';
import { alive } from '../../../tests/support/stratus-e2e.js';
import { mostTrialsAtOnce } from '../../../tests/support/trial-overlap.js';
import {
  irisInput,
  trialProcessPid,
  workerFixture,
  type WorkerFixture,
} from './worker.test-support.js';

let fixture: WorkerFixture;
let worker: StratusWorker;

beforeAll(async () => {
  fixture = await workerFixture({ STRATUS_WORKER_CONCURRENCY: '2' });
  worker = await startWorker(fixture.config, {
    heartbeatIntervalMs: 500,
    cancelGraceMs: 1000,
    earlyStopping: { minCompletedTrials: 1, minReports: 2 },
  });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await fixture?.close();
}, 60_000);

describe('worker', () => {
  it('runs an Iris job without hyperparameters to SUCCEEDED with its model, logs and metrics', async () => {
    await fixture.submit({ jobId: 'iris_1', trainingInput: irisInput('iris_1', { epochs: 6 }) });
    const job = await fixture.waitForState('iris_1', ['SUCCEEDED', 'FAILED'], 60_000);
    expect(job.errorMessage).toBeUndefined();
    expect(job.state).toBe('SUCCEEDED');
    expect(job.trainingOutput).toMatchObject({
      isHyperparameterTuningJob: false,
      isBuiltInAlgorithmJob: true,
      builtInAlgorithmOutput: { framework: 'TENSORFLOW', modelPath: 'gs://demo/jobs/iris_1/model' },
      modelDir: 'gs://demo/jobs/iris_1/model',
    });
    expect(job.trainingOutput?.completedTrialCount).toBeUndefined();
    expect(job.trainingOutput?.consumedMLUnits).toBeGreaterThanOrEqual(0);
    expect(job.startTime).toBeDefined();
    expect(await fixture.storage.exists('gs://demo/jobs/iris_1/model/model.json')).toBe(true);
    expect(await fixture.storage.exists('gs://demo/jobs/iris_1/model/stratus.json')).toBe(true);

    const metrics = await fixture.store.streams.readMetrics('demo', 'iris_1');
    const accuracy = metrics.entries.filter((point) => point.name === 'val_accuracy');
    expect(accuracy.map((point) => point.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics.end?.state).toBe('SUCCEEDED');
    const logs = await fixture.store.streams.readLogs('demo', 'iris_1');
    const messages = logs.entries.map((entry) => entry.message);
    expect(messages[0]).toMatch(/^Trial 1 attempt 1 on worker .*, trial process \d+$/);
    expect(messages).toContain('Model exported to gs://demo/jobs/iris_1/model');

    const [status] = await fixture.store.workers.list();
    expect(status).toMatchObject({
      workerId: worker.workerId,
      backend: 'wasm',
      gpu: null,
      queues: ['cpu'],
      capacity: 2,
      pid: process.pid,
    });
  });

  it('cancels a running job mid-training and kills its trial process', async () => {
    // Far more epochs than any test timeout allows: only the cancel can end this trial.
    const epochs = 100_000;
    await fixture.submit({ jobId: 'long_1', trainingInput: irisInput('long_1', { epochs }) });
    const lossSteps = async (): Promise<number[]> =>
      (await fixture.store.streams.readMetrics('demo', 'long_1')).entries
        .filter((point) => point.name === 'loss')
        .map((point) => point.step);
    await expect
      .poll(async () => (await lossSteps()).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const pid = await trialProcessPid(fixture.store, 'long_1');
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid ?? 0)).toBe(true);

    // What the API's :cancel does: CANCELLING, then tell the workers.
    await fixture.store.jobs.transition('demo', 'long_1', {
      from: ['QUEUED', 'PREPARING', 'RUNNING'],
      to: 'CANCELLING',
    });
    await fixture.store.events.publishCancel('demo', 'long_1');
    const job = await fixture.waitForState('long_1', ['CANCELLED'], 60_000);
    expect(job.state).toBe('CANCELLED');
    expect(alive(pid ?? 0)).toBe(false);
    expect((await fixture.store.trials.get('demo', 'long_1', '1'))?.state).toBe('CANCELLED');
    // Stopped mid-training, not run to its last epoch.
    expect(Math.max(...(await lossSteps()))).toBeLessThan(epochs);
    expect(worker.busyTrials).toBe(0);
  }, 120_000);

  it('runs a tuning job (maxTrials 4, maxParallelTrials 2) to SUCCEEDED, trials best first', async () => {
    await fixture.submit({
      jobId: 'tune_1',
      trainingInput: {
        ...irisInput('tune_1', { epochs: 4 }),
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: 'val_accuracy',
          maxTrials: 4,
          maxParallelTrials: 2,
          params: [
            {
              parameterName: 'learningRate',
              type: 'DOUBLE',
              minValue: 0.001,
              maxValue: 0.1,
              scaleType: 'UNIT_LOG_SCALE',
            },
            {
              parameterName: 'hiddenUnits',
              type: 'CATEGORICAL',
              categoricalValues: ['8', '16,8'],
            },
          ],
        },
      },
    });
    const job = await fixture.waitForState('tune_1', ['SUCCEEDED', 'FAILED'], 120_000);
    expect(job.state).toBe('SUCCEEDED');
    const output = job.trainingOutput;
    expect(output?.completedTrialCount).toBe('4');
    expect(output?.trials?.map((t) => t.state)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const objectives = output?.trials?.map((t) => t.finalMetric?.objectiveValue ?? -1) ?? [];
    expect(objectives).toEqual([...objectives].sort((a, b) => b - a));
    expect(output?.bestTrialId).toBe(output?.trials?.[0]?.trialId);
    expect(output?.modelDir).toBe(`gs://demo/jobs/tune_1/${output?.bestTrialId}/model`);
    expect(await fixture.storage.exists(`${output?.modelDir}/model.json`)).toBe(true);
    // From the recorded spans: never more than maxParallelTrials at once, and both slots used.
    const trials = await fixture.store.trials.list('demo', 'tune_1');
    expect(trials).toHaveLength(4);
    expect(mostTrialsAtOnce(trials)).toBe(2);
    expect(new Set(output?.trials?.map((t) => t.hyperparameters?.learningRate)).size).toBe(4);
  }, 180_000);

  it('fails a tuning job whose trials all fail after maxFailedTrials, without retries', async () => {
    await fixture.submit({
      jobId: 'broken_1',
      trainingInput: {
        ...irisInput('broken_1', { labelColumn: 'no_such_column' }),
        hyperparameters: {
          goal: 'MAXIMIZE',
          maxTrials: 6,
          maxParallelTrials: 1,
          maxFailedTrials: 2,
          params: [
            { parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1 },
          ],
        },
      },
    });
    const job = await fixture.waitForState('broken_1', ['SUCCEEDED', 'FAILED'], 60_000);
    expect(job.state).toBe('FAILED');
    expect(job.errorMessage).toMatch(
      /^2 of 2 trials failed, reaching maxFailedTrials \(2\): trial 1: Dataset gs:\/\/demo\/data\/iris\.csv is invalid: .*no_such_column.*; trial 2: /,
    );
    const trials = await fixture.store.trials.list('demo', 'broken_1');
    expect(trials.map((t) => [t.trialId, t.state, t.attempts])).toEqual([
      ['1', 'FAILED', 1],
      ['2', 'FAILED', 1],
    ]);
  });

  it('stops a clearly worse tuning trial early and still exports its model', async () => {
    await fixture.submit({
      jobId: 'early_1',
      trainingInput: {
        ...irisInput('early_1', { epochs: 12, batchSize: 8 }),
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: 'val_accuracy',
          maxTrials: 2,
          maxParallelTrials: 1,
          enableTrialEarlyStopping: true,
          algorithm: 'GRID_SEARCH',
          params: [
            {
              parameterName: 'learningRate',
              type: 'CATEGORICAL',
              categoricalValues: ['0.05', '0.0000001'],
            },
          ],
        },
      },
    });
    const job = await fixture.waitForState('early_1', ['SUCCEEDED', 'FAILED'], 60_000);
    expect(job.state).toBe('SUCCEEDED');
    const trials = job.trainingOutput?.trials ?? [];
    expect(trials.map((t) => [t.trialId, t.isTrialStoppedEarly])).toEqual([
      ['1', false],
      ['2', true],
    ]);
    const stopped = await fixture.store.trials.get('demo', 'early_1', '2');
    expect(stopped?.state).toBe('STOPPED');
    expect(stopped?.finalMetric?.trainingStep).toBeLessThan(12);
    expect(await fixture.storage.exists('gs://demo/jobs/early_1/2/model/model.json')).toBe(true);
  });

  it('retries a trial whose process was killed; the retry resumes from its checkpoint', async () => {
    await fixture.submit({
      jobId: 'crash_1',
      trainingInput: irisInput('crash_1', { epochs: 12, batchSize: 2 }),
    });
    const lossSteps = async () =>
      (await fixture.store.streams.readMetrics('demo', 'crash_1')).entries.filter(
        (p) => p.name === 'loss',
      );
    await expect
      .poll(async () => (await lossSteps()).some((point) => point.step >= 2), { timeout: 30_000 })
      .toBe(true);
    process.kill((await trialProcessPid(fixture.store, 'crash_1')) ?? 0, 'SIGKILL');
    const job = await fixture.waitForState('crash_1', ['SUCCEEDED', 'FAILED'], 60_000);
    expect(job.state).toBe('SUCCEEDED');
    expect((await fixture.store.trials.get('demo', 'crash_1', '1'))?.attempts).toBe(2);
    const messages = (await fixture.store.streams.readLogs('demo', 'crash_1')).entries.map(
      (e) => e.message,
    );
    expect(messages).toContain('Trial process died (signal SIGKILL), possibly out of memory');
    // The epoch's metrics are streamed before its checkpoint is written, so a kill right after
    // "step 2" may land before checkpoint 2: any checkpoint the first attempt wrote will do.
    expect(
      messages.some((m) => /^Resuming from the checkpoint after epoch ([1-9]|1[0-2])$/.test(m)),
    ).toBe(true);
    expect((await lossSteps()).at(-1)?.step).toBe(12);
  }, 90_000);
});
