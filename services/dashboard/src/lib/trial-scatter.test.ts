import { describe, expect, it } from 'vitest';
import type { HyperparameterOutput } from '@stratus/spec';
import { scatterPoints } from './trial-scatter.js';

const trial = (
  trialId: string,
  hyperparameters: Record<string, string>,
  objectiveValue?: number,
): HyperparameterOutput => ({
  trialId,
  hyperparameters,
  state: objectiveValue === undefined ? 'RUNNING' : 'SUCCEEDED',
  ...(objectiveValue === undefined ? {} : { finalMetric: { trainingStep: '1', objectiveValue } }),
});

describe('scatterPoints', () => {
  const trials = [
    trial('1', { algorithm: 'dnn', dropout: '0.5' }, 0.9),
    trial('2', { algorithm: 'linear' }, 0.7),
    trial('3', { algorithm: 'dnn', dropout: '0.1' }, 0.8),
    trial('4', { algorithm: 'dnn', dropout: '0.3' }),
  ];

  it('leaves out trials where the parameter was inactive, and unfinished ones', () => {
    expect(
      scatterPoints({ parameterName: 'dropout', type: 'DOUBLE', minValue: 0, maxValue: 1 }, trials),
    ).toEqual([
      [0.1, 0.8],
      [0.5, 0.9],
    ]);
  });

  it('places categories at their index', () => {
    const param = {
      parameterName: 'algorithm',
      type: 'CATEGORICAL' as const,
      categoricalValues: ['linear', 'dnn'],
    };
    expect(scatterPoints(param, trials)).toEqual([
      [0, 0.7],
      [1, 0.9],
      [1, 0.8],
    ]);
  });
});
