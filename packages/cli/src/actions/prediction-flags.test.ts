import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-errors.js';
import { predictionJobFromFlags, type PredictionFlags } from './prediction-flags.js';

const BASE: PredictionFlags = {
  inputPaths: ['gs://demo/in/part-*.jsonl'],
  outputPath: 'gs://demo/out/',
  dataFormat: 'JSON',
  region: 'local',
};

const problem = (flags: Partial<PredictionFlags>): string => {
  try {
    predictionJobFromFlags('job_1', { ...BASE, ...flags }, 'demo');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('predictionInput from the flags of `jobs submit prediction`', () => {
  it('names the model as --model, --model with --version, or --model-dir', () => {
    const input = (flags: Partial<PredictionFlags>) =>
      predictionJobFromFlags('job_1', { ...BASE, ...flags }, 'demo').predictionInput;
    expect(input({ model: 'iris' })).toEqual({
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/in/part-*.jsonl'],
      outputPath: 'gs://demo/out/',
      modelName: 'projects/demo/models/iris',
      region: 'local',
    });
    expect(input({ model: 'iris', version: 'v2' })).toMatchObject({
      versionName: 'projects/demo/models/iris/versions/v2',
    });
    expect(input({ model: 'iris', version: 'v2' })).not.toHaveProperty('modelName');
    expect(input({ modelDir: 'gs://demo/bundle/' })).toMatchObject({ uri: 'gs://demo/bundle/' });
  });

  it('copies every optional flag to its field, and the labels to the job', () => {
    const job = predictionJobFromFlags(
      'job_1',
      {
        ...BASE,
        model: 'iris',
        outputDataFormat: 'CSV',
        batchSize: 8,
        maxWorkerCount: 2,
        signatureName: 'serving_default',
        runtimeVersion: '2.11',
        keyField: 'id',
        resume: true,
        maxErrorRate: 0.25,
        labels: { team: 'demo' },
      },
      'demo',
    );
    expect(job.labels).toEqual({ team: 'demo' });
    expect(job.predictionInput).toMatchObject({
      outputDataFormat: 'CSV',
      batchSize: 8,
      maxWorkerCount: 2,
      signatureName: 'serving_default',
      runtimeVersion: '2.11',
      keyField: 'id',
      resume: true,
      maxErrorRate: 0.25,
    });
  });

  it("words what the API's validator finds as the flag's problem", () => {
    expect(problem({ model: 'iris', dataFormat: 'TF_RECORD_GZIP' })).toBe(
      '--data-format: TF_RECORD_GZIP is not supported; use JSON (JSON Lines), TEXT or CSV',
    );
    expect(problem({ model: 'iris', inputPaths: ['gs://demo/a.jsonl', 'in.jsonl'] })).toMatch(
      /^--input-paths: /,
    );
    expect(problem({ modelDir: 'demo/bundle' })).toMatch(/^--model-dir: /);
    expect(problem({ model: 'Not a model!' })).toMatch(/^--model: /);
    expect(problem({ model: 'iris', labels: { 'Bad Key': 'x' } })).toMatch(/^--labels: /);
    expect(problem({ model: 'iris', inputPaths: [] })).toBe(
      '--input-paths: name at least one path',
    );
    expect(problem({ model: 'iris', version: '' })).toBe(
      "option '--version <version>' argument missing",
    );
  });
});
