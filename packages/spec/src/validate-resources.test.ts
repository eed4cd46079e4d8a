import { describe, expect, it } from 'vitest';
import { thrown } from './errors.test-support.js';
import {
  assertValidModelInput,
  assertValidPredictRequest,
  assertValidVersionInput,
  validateModelInput,
  validateVersionInput,
} from './validate-resources.js';

describe('model, version and predict validation', () => {
  it('accepts good inputs', () => {
    const model = { name: 'iris', description: 'Iris classifier', labels: { team: 'demo' } };
    expect(assertValidModelInput(model)).toBe(model);
    expect(
      validateVersionInput({ name: 'v1', deploymentUri: 'gs://demo/jobs/iris/model/' }),
    ).toEqual([]);
    expect(
      validateVersionInput({ name: 'v2', sourceJob: { jobId: 'iris_dnn_1', trialId: '7' } }),
    ).toEqual([]);
    expect(assertValidPredictRequest({ instances: [{ a: 1 }] })).toEqual({ instances: [{ a: 1 }] });
  });

  it.each([
    [{ name: 'my-model' }, 'name', 'must start with a letter'],
    [{ name: 'm', owner: 'x' }, 'owner', 'unknown field "owner"'],
    [{ name: 'm', labels: { '1x': 'y' } }, 'labels["1x"]', 'label key "1x"'],
  ])('rejects model %j', (input, field, fragment) => {
    const [violation, ...rest] = validateModelInput(input);
    expect(rest).toEqual([]);
    expect(violation?.field).toBe(field);
    expect(violation?.description).toContain(fragment);
  });

  it.each([
    [{ name: 'v1' }, 'deploymentUri', 'is required unless sourceJob is set'],
    [
      { name: 'v1', deploymentUri: 'gs://demo/m', sourceJob: { jobId: 'j' } },
      'sourceJob',
      'not both',
    ],
    [
      { name: 'v1', deploymentUri: 'gs://demo/../m' },
      'deploymentUri',
      'must not contain ".." path segments',
    ],
    [
      { name: 'v1', sourceJob: { jobId: 'j', trialId: '0' } },
      'sourceJob.trialId',
      'must be a positive decimal integer string',
    ],
    [
      { name: 'v1', deploymentUri: 'gs://demo/m', framework: 'TENSORFLOW' },
      'framework',
      'must be one of TENSORFLOW_JS, ONNX',
    ],
    [
      { name: 'v1', deploymentUri: 'gs://demo/m', batching: { maxBatchSize: 0 } },
      'batching.maxBatchSize',
      'must be ≥ 1 (got 0)',
    ],
  ])('rejects version %j', (input, field, fragment) => {
    const [violation, ...rest] = validateVersionInput(input);
    expect(rest).toEqual([]);
    expect(violation?.field).toBe(field);
    expect(violation?.description).toContain(fragment);
  });

  it('throws registry errors naming the field', () => {
    expect(() => assertValidVersionInput({ name: 'v1' })).toThrow(
      'Invalid version: deploymentUri: is required unless sourceJob is set',
    );
    const err = thrown(() => assertValidPredictRequest({ instances: [] }));
    expect(err.reason).toBe('INVALID_PREDICT_REQUEST');
    expect(err.message).toBe('Invalid prediction request: instances: must have at least 1 entries');
  });
});
