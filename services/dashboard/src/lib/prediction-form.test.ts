import { describe, expect, it } from 'vitest';
import {
  checkPrediction,
  initialPredictionDraft,
  suggestedOutputPath,
  type PredictionDraft,
} from './prediction-form.js';

const draft = (patch: Partial<PredictionDraft> = {}): PredictionDraft => ({
  ...initialPredictionDraft(),
  jobId: 'score_form',
  model: 'iris',
  inputPaths: 'gs://demo/batch/*.jsonl, gs://demo/more/part-0.jsonl',
  outputPath: suggestedOutputPath('score_form'),
  ...patch,
});

describe('the batch prediction form’s job', () => {
  it('builds the predictionInput the API takes, naming the model of the project', () => {
    const { input, errors } = checkPrediction(
      draft({ batchSize: '128', maxWorkerCount: '2', outputDataFormat: 'CSV' }),
      'demo',
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      jobId: 'score_form',
      predictionInput: {
        region: 'local',
        dataFormat: 'JSON',
        outputDataFormat: 'CSV',
        inputPaths: ['gs://demo/batch/*.jsonl', 'gs://demo/more/part-0.jsonl'],
        outputPath: 'gs://demo/predictions/score_form/',
        modelName: 'projects/demo/models/iris',
        batchSize: 128,
        maxWorkerCount: 2,
      },
    });
  });

  it('sends a chosen version as versionName instead of modelName', () => {
    const { input, errors } = checkPrediction(draft({ version: 'v2' }), 'default');
    expect(errors).toEqual({});
    expect(input.predictionInput).toMatchObject({
      versionName: 'projects/default/models/iris/versions/v2',
    });
    expect(input.predictionInput?.modelName).toBeUndefined();
  });

  it('reports each problem at its field, as the API words it', () => {
    expect(
      checkPrediction(
        draft({ inputPaths: 'gs://demo', outputPath: 's3://x', batchSize: '0' }),
        'default',
      ).errors,
    ).toEqual({
      'predictionInput.inputPaths': 'must name an object after the bucket',
      'predictionInput.outputPath': 'must start with gs://',
      'predictionInput.batchSize': 'must be a positive integer (got 0)',
    });
  });

  it('asks for a model, inputs and whole numbers before validating', () => {
    expect(
      checkPrediction(draft({ model: '', inputPaths: ' , ', maxWorkerCount: '1.5' }), 'default')
        .errors,
    ).toEqual({
      'predictionInput.modelName': 'choose a model',
      'predictionInput.inputPaths': 'give at least one gs:// path',
      'predictionInput.maxWorkerCount': 'must be a whole number',
    });
  });
});
