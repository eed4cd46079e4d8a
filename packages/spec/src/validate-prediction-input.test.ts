import { describe, expect, it } from 'vitest';
import type { JobInput } from './job.js';
import { validateJobInput } from './validate-job.js';

const job = (predictionInput: Record<string, unknown>): JobInput =>
  ({
    jobId: 'score_1',
    predictionInput: {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/in/*.jsonl'],
      outputPath: 'gs://demo/out/',
      modelName: 'projects/demo/models/iris',
      ...predictionInput,
    },
  }) as JobInput;

const fields = (input: unknown): string[][] =>
  validateJobInput(input).map((v) => [v.field, v.description]);

describe('predictionInput validation', () => {
  it('accepts a Cloud ML batch prediction request, int64 fields as strings or numbers', () => {
    expect(fields(job({ batchSize: '32', maxWorkerCount: 2, region: 'local' }))).toEqual([]);
    expect(
      fields(job({ modelName: undefined, uri: 'gs://demo/model/', runtimeVersion: '2.11' })),
    ).toEqual([]);
  });

  it('names each field that is wrong', () => {
    expect(fields(job({ dataFormat: 'TF_RECORD' }))).toEqual([
      [
        'predictionInput.dataFormat',
        'TF_RECORD is not supported; use JSON (JSON Lines), TEXT or CSV',
      ],
    ]);
    expect(fields(job({ inputPaths: ['s3://x/y'], outputPath: 'gs://demo/../x' }))).toEqual([
      ['predictionInput.inputPaths[0]', 'must start with gs://'],
      ['predictionInput.outputPath', 'must not contain ".." path segments'],
    ]);
    expect(fields(job({ batchSize: '0', maxWorkerCount: '-2' }))).toEqual([
      ['predictionInput.batchSize', 'must be a positive integer (got 0)'],
      ['predictionInput.maxWorkerCount', 'must be a positive integer (got -2)'],
    ]);
    expect(fields(job({ versionName: 'projects/demo/models/iris/versions/v1' }))).toEqual([
      [
        'predictionInput',
        'set exactly one of modelName, versionName or uri (got modelName, versionName)',
      ],
    ]);
    expect(fields(job({ modelName: undefined }))).toEqual([
      ['predictionInput', 'needs a model: exactly one of modelName, versionName or uri'],
    ]);
    expect(fields(job({ modelName: 'iris' }))[0]?.[0]).toBe('predictionInput.modelName');
  });

  it('refuses a job with both inputs, or neither', () => {
    const both = { ...job({}), trainingInput: { jobDir: 'gs://demo/j' } };
    expect(fields(both)).toEqual([
      ['predictionInput', 'set either trainingInput or predictionInput, not both'],
    ]);
    expect(fields({ jobId: 'x' })).toEqual([
      ['trainingInput', 'is required (or predictionInput, for a batch prediction job)'],
    ]);
  });

  it('refuses unknown predictionInput fields and missing required ones by name', () => {
    const unknown = fields(job({ accelerator: 'x' }));
    expect(unknown.map(([field]) => field)).toContain('predictionInput.accelerator');
    const missing = fields({
      jobId: 'x',
      predictionInput: { dataFormat: 'JSON', outputPath: 'gs://d/o' },
    });
    expect(missing.map(([field]) => field)).toContain('predictionInput.inputPaths');
  });
});
