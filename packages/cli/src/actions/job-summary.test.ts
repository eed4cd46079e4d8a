import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { Printer } from '../output/printer.js';
import { createStyle } from '../output/style.js';
import { printSummary, summarizeJob } from './job-summary.js';

const ashaJob: Job = {
  jobId: 'asha_1',
  createTime: '2026-12-08T00:00:00Z',
  state: 'SUCCEEDED',
  trainingInput: {
    builtinAlgorithm: { name: 'dnn_classifier', trainingData: 'gs://demo/iris.csv' },
    hyperparameters: {
      goal: 'MAXIMIZE',
      hyperparameterMetricTag: 'val_accuracy',
      maxTrials: 2,
      automatedStoppingConfig: { ashaStoppingConfig: { maxSteps: 6 } },
      params: [{ parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1 }],
    },
  },
  trainingOutput: {
    isHyperparameterTuningJob: true,
    hyperparameterMetricTag: 'val_accuracy',
    trials: [
      {
        trialId: '1',
        state: 'SUCCEEDED',
        hyperparameters: { learningRate: '0.05' },
        finalMetric: { trainingStep: '6', objectiveValue: 0.95 },
      },
      {
        trialId: '2',
        state: 'SUCCEEDED',
        isTrialStoppedEarly: true,
        hyperparameters: { learningRate: '0.001' },
        finalMetric: { trainingStep: '1', objectiveValue: 0.3 },
      },
    ],
  },
};

describe('jobs describe --summarize', () => {
  it('names the stopping rule and shows the step a stopped trial reached', async () => {
    const summary = summarizeJob(ashaJob);
    expect(summary.overview.earlyStopping).toBe('ASHA (minSteps 1, reductionFactor 3, maxSteps 6)');
    let stdout = '';
    const io = {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: () => true },
      stdin: Readable.from([]),
      env: {},
      cwd: '/',
      homeDir: '/',
    };
    await printSummary(new Printer(io, undefined, true, createStyle(false)), undefined, summary);
    const rows = stdout.split('\n');
    expect(rows.find((row) => row.startsWith('1 '))).not.toContain('stopped');
    expect(rows.find((row) => row.startsWith('2 '))).toMatch(/stopped at step 1$/);
  });

  it('calls enableTrialEarlyStopping the median rule', () => {
    const median = structuredClone(ashaJob);
    const spec = median.trainingInput?.hyperparameters;
    if (spec === undefined) throw new Error('fixture has hyperparameters');
    delete spec.automatedStoppingConfig;
    spec.enableTrialEarlyStopping = true;
    expect(summarizeJob(median).overview.earlyStopping).toBe('median rule');
  });
});
