import { describe, expect, it } from 'vitest';
import { sortTrialsBestFirst } from './job-codec.js';
import type { TrialRecord } from './trial-codec.js';

const trial = (
  trialId: string,
  state: TrialRecord['state'],
  objective?: number,
  endTime = `2024-01-01T00:00:${trialId.padStart(2, '0')}.000Z`,
): TrialRecord => ({
  trialId,
  hyperparameters: {},
  state,
  attempts: 1,
  createTime: '2024-01-01T00:00:00.000Z',
  endTime,
  ...(objective === undefined
    ? {}
    : { finalMetric: { trainingStep: 3, objectiveValue: objective } }),
});

const trials = [
  trial('1', 'SUCCEEDED', 0.5),
  trial('2', 'FAILED'),
  trial('3', 'STOPPED', 0.9),
  trial('4', 'SUCCEEDED', 0.7),
  trial('5', 'CANCELLED'),
  trial('10', 'SUCCEEDED', 0.1),
];

describe('sortTrialsBestFirst', () => {
  it('puts the highest objective first for MAXIMIZE, unscored trials last by number', () => {
    expect(sortTrialsBestFirst(trials, 'MAXIMIZE').map((t) => t.trialId)).toEqual([
      '3',
      '4',
      '1',
      '10',
      '2',
      '5',
    ]);
  });

  it('puts the lowest objective first for MINIMIZE', () => {
    expect(sortTrialsBestFirst(trials, 'MINIMIZE').map((t) => t.trialId)).toEqual([
      '10',
      '1',
      '4',
      '3',
      '2',
      '5',
    ]);
  });

  it('keeps trial order when the goal is unknown', () => {
    expect(sortTrialsBestFirst(trials, undefined).map((t) => t.trialId)).toEqual([
      '1',
      '3',
      '4',
      '10',
      '2',
      '5',
    ]);
  });

  it('lists the job best trial first and, among equal objectives, the earlier finished', () => {
    const tied = [
      trial('1', 'SUCCEEDED', 0.9, '2024-01-01T00:00:09.000Z'),
      trial('2', 'SUCCEEDED', 0.9, '2024-01-01T00:00:05.000Z'),
      trial('3', 'SUCCEEDED', 0.5),
    ];
    expect(sortTrialsBestFirst(tied, 'MAXIMIZE').map((t) => t.trialId)).toEqual(['2', '1', '3']);
    expect(sortTrialsBestFirst(tied, 'MAXIMIZE', '1').map((t) => t.trialId)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });
});
