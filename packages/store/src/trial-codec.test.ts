import { describe, expect, it } from 'vitest';
import { toTunerTrial, type TrialRecord } from './trial-codec.js';

const stored: TrialRecord = {
  trialId: '3',
  hyperparameters: { learningRate: '0.01' },
  state: 'STOPPED',
  attempts: 1,
  createTime: '2026-11-27T00:00:00.000Z',
  finalMetric: { trainingStep: 7, objectiveValue: 0.91 },
  intermediate: { count: 7, lastStep: 7, lastValue: 0.9, mean: 0.8, best: 0.92 },
};

describe('toTunerTrial', () => {
  it('keeps the objective and the last intermediate value', () => {
    expect(toTunerTrial(stored)).toEqual({
      trialId: '3',
      hyperparameters: { learningRate: '0.01' },
      state: 'STOPPED',
      objective: 0.91,
      intermediate: [{ step: 7, value: 0.9 }],
    });
  });

  it('leaves out what a queued trial does not have', () => {
    const queued: TrialRecord = {
      trialId: '4',
      hyperparameters: { learningRate: '0.02' },
      state: 'QUEUED',
      attempts: 0,
      createTime: '2026-11-27T00:00:00.000Z',
    };
    expect(toTunerTrial(queued)).toEqual({
      trialId: '4',
      hyperparameters: { learningRate: '0.02' },
      state: 'QUEUED',
    });
  });
});
