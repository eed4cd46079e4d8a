import { describe, expect, it } from 'vitest';
import { BA, HP, checkJob, initialDraft, paramPath, type JobDraft } from './job-form.js';

const KNOWN = [
  'jobId',
  'labels',
  'trainingInput.jobDir',
  `${BA}.epochs`,
  `${BA}.hiddenUnits`,
  `${HP}.maxTrials`,
  `${HP}.maxParallelTrials`,
  paramPath(0, 'minValue'),
  paramPath(0, 'maxValue'),
  paramPath(0, 'categoricalValues'),
];

const draft = (patch: Partial<JobDraft> = {}): JobDraft => ({
  ...initialDraft(),
  jobId: 'iris_form',
  jobDir: 'gs://demo/jobs/iris_form',
  ...patch,
});

describe('the submit form’s job', () => {
  it('builds the JobInput the API takes, tuned, with labels', () => {
    const { input, errors } = checkJob(
      draft({ tune: true, epochs: '8', hiddenUnits: '16, 8', labels: 'team=ui', maxTrials: '3' }),
      KNOWN,
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      jobId: 'iris_form',
      labels: { team: 'ui' },
      trainingInput: {
        scaleTier: 'BASIC',
        region: 'local',
        jobDir: 'gs://demo/jobs/iris_form',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: 'gs://demo/data/iris.csv',
          labelColumn: 'species',
          epochs: 8,
          hiddenUnits: [16, 8],
        },
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: 'val_accuracy',
          maxTrials: 3,
          maxParallelTrials: 2,
          enableTrialEarlyStopping: false,
          algorithm: 'ALGORITHM_UNSPECIFIED',
          params: [
            {
              parameterName: 'learningRate',
              type: 'DOUBLE',
              minValue: 0.001,
              maxValue: 0.1,
              scaleType: 'UNIT_LOG_SCALE',
            },
          ],
        },
      },
    });
  });

  it("puts the spec validator's errors at their fields: min > max at Min", () => {
    const base = initialDraft().params[0]!;
    const { errors } = checkJob(
      draft({ tune: true, params: [{ ...base, minValue: '0.5', maxValue: '0.01' }] }),
      KNOWN,
    );
    expect(errors).toEqual({
      [paramPath(0, 'minValue')]: 'minValue (0.5) must be less than maxValue (0.01)',
    });
  });

  it('reports what does not parse before validating, and unknown fields form-wide', () => {
    expect(checkJob(draft({ epochs: 'ten' }), KNOWN).errors).toEqual({
      [`${BA}.epochs`]: 'must be a number',
    });
    expect(checkJob(draft({ tune: true, maxTrials: '2.5' }), KNOWN).errors).toEqual({
      [`${HP}.maxTrials`]: 'must be a whole number',
    });
    const { errors } = checkJob(draft({ jobDir: 'not-a-uri' }), KNOWN);
    expect(Object.keys(errors)).toEqual(['trainingInput.jobDir']);
    // Left empty, the job directory is the server's default: the field is not sent.
    const blank = checkJob(draft({ jobDir: '  ' }), KNOWN);
    expect(blank.errors).toEqual({});
    expect(blank.input.trainingInput).not.toHaveProperty('jobDir');
    expect(checkJob(draft({ labelColumn: '' }), KNOWN).errors).toEqual({
      '': expect.stringMatching(/^trainingInput\.builtinAlgorithm\.labelColumn: /) as string,
    });
  });
});
