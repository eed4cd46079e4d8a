import { describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { predictionModel, predictionProgress, progressSummary } from './prediction-progress.js';

const job = (patch: Partial<Job> = {}): Job =>
  ({
    jobId: 'score_1',
    state: 'RUNNING',
    createTime: '2026-01-01T00:00:00Z',
    predictionInput: {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/in/*.jsonl'],
      outputPath: 'gs://demo/out/',
      modelName: 'projects/default/models/iris',
    },
    ...patch,
  }) as Job;

describe('a prediction job’s progress', () => {
  it('parses the int64 strings and floors the percentage', () => {
    const progress = predictionProgress(
      job({
        predictionOutput: {
          processedCount: '2999',
          totalCount: '3000',
          predictionCount: '2990',
          errorCount: '9',
          shardCount: 4,
          completedShardCount: 3,
          rowsPerSecond: 1500.5,
          nodeHours: 0.001,
        },
      }),
    );
    expect(progress).toEqual({
      processed: 2999,
      total: 3000,
      percent: 99,
      rowsPerSecond: 1500.5,
      completedShards: 3,
      shardCount: 4,
      predictionCount: 2990,
      errorCount: 9,
      nodeHours: 0.001,
    });
    expect(progressSummary(progress)).toBe('2,999 / 3,000 rows (99%)');
  });

  it('reads as not planned before the output has counts', () => {
    const progress = predictionProgress(job());
    expect([progress.percent, progress.total, progress.shardCount]).toEqual([0, 0, 0]);
    expect(progressSummary(progress)).toBe('not planned yet');
  });

  it('names the model by version, model or bundle URI', () => {
    const input = job().predictionInput!;
    expect(predictionModel(job())).toBe('projects/default/models/iris');
    const { modelName: _m, ...rest } = input;
    expect(predictionModel(job({ predictionInput: { ...rest, uri: 'gs://demo/bundle/' } }))).toBe(
      'gs://demo/bundle/',
    );
    expect(
      predictionModel(
        job({
          predictionInput: { ...rest, versionName: 'projects/default/models/iris/versions/v2' },
        }),
      ),
    ).toBe('projects/default/models/iris/versions/v2');
  });
});
