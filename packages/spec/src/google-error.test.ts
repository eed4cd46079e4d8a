import { describe, expect, it } from 'vitest';
import { StratusError } from './errors.js';
import { thrown } from './errors.test-support.js';
import { toGoogleError, toRpcStatus } from './google-error.js';
import { edited, designExampleJob } from './jobs.test-support.js';
import { assertValidJobInput } from './validate-job.js';

describe('toGoogleError', () => {
  it('maps a not-found error to the Google shape with ErrorInfo', () => {
    const err = new StratusError('JOB_NOT_FOUND', { name: 'projects/p/jobs/j' });
    expect(toGoogleError(err)).toEqual({
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: 'Job "projects/p/jobs/j" not found',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'JOB_NOT_FOUND',
            domain: 'stratus',
            metadata: { name: 'projects/p/jobs/j' },
          },
        ],
      },
    });
  });

  it('adds BadRequest field violations for validation errors', () => {
    const err = thrown(() =>
      assertValidJobInput(
        edited(designExampleJob, (j) => {
          j.trainingInput.hyperparameters.params[0].minValue = 1;
        }),
      ),
    );
    const body = toGoogleError(err);
    expect(body.error.code).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'INVALID_HYPERPARAMETER_SPEC',
        domain: 'stratus',
        metadata: {
          detail:
            'trainingInput.hyperparameters.params[0].minValue: minValue (1) must be less than maxValue (0.1)',
        },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          {
            field: 'trainingInput.hyperparameters.params[0].minValue',
            description: 'minValue (1) must be less than maxValue (0.1)',
          },
        ],
      },
    ]);
  });

  it('stringifies context values and drops undefined ones', () => {
    const err = new StratusError('MODEL_HAS_VERSIONS', {
      name: 'projects/p/models/m',
      count: 2,
      extra: undefined,
    });
    expect(err.message).toBe(
      'Model "projects/p/models/m" still has 2 version(s); delete them first',
    );
    expect(toGoogleError(err).error.details[0]).toMatchObject({
      metadata: { name: 'projects/p/models/m', count: '2' },
    });
    expect(toGoogleError(err).error.code).toBe(400);
    expect(toGoogleError(err).error.status).toBe('FAILED_PRECONDITION');
  });

  it('gives Operations a gRPC status code', () => {
    const err = new StratusError('BUNDLE_INVALID', {
      uri: 'gs://b/m',
      detail: 'model.json missing',
    });
    expect(toRpcStatus(err)).toMatchObject({
      code: 9,
      message: 'Model bundle gs://b/m is invalid: model.json missing',
    });
    expect(toRpcStatus(new StratusError('VERSION_NOT_FOUND', { name: 'x' })).code).toBe(5);
    expect(toRpcStatus(new StratusError('RATE_LIMITED', { detail: 'slow down' })).code).toBe(8);
  });
});
