import { Ajv } from 'ajv';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { GoogleErrorSchema } from './google-error.js';
import { HyperparameterSpecSchema } from './hyperparameters.js';
import { JobInputSchema, JobSchema, ListJobsResponseSchema } from './job.js';
import {
  customPackageJob,
  designExampleJob,
  designExampleJobOutput,
  edited,
} from './jobs.test-support.js';
import { ModelInputSchema, ModelSchema } from './model.js';
import { OperationSchema } from './operation.js';
import { PredictRequestSchema } from './predict.js';
import { VersionInputSchema } from './version.js';

/** fastify's validator is ajv 8; keep `removeAdditional` off so unknown fields are errors. */
const ajv = new Ajv({ strict: true, allErrors: true });

describe('schemas are plain JSON Schema for ajv', () => {
  it('compiles every top-level schema in strict mode', () => {
    for (const schema of [
      JobInputSchema,
      JobSchema,
      ListJobsResponseSchema,
      ModelInputSchema,
      ModelSchema,
      VersionInputSchema,
      OperationSchema,
      PredictRequestSchema,
      GoogleErrorSchema,
    ]) {
      expect(() => ajv.getSchema(String(schema.$id)) ?? ajv.compile(schema)).not.toThrow();
    }
  });

  it('accepts the docs/api.md example and rejects an unknown field by name', () => {
    const validate = ajv.getSchema('JobInput') ?? ajv.compile(JobInputSchema);
    expect(validate(designExampleJob)).toBe(true);
    expect(validate(customPackageJob)).toBe(true);
    expect(
      validate(
        edited(designExampleJob, (j) => {
          j.trainingInput.hyperparameters.params[0].scale = 1;
        }),
      ),
    ).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/trainingInput/hyperparameters/params/0',
      keyword: 'additionalProperties',
      params: { additionalProperty: 'scale' },
    });
    expect(
      validate(
        edited(designExampleJob, (j) => {
          j.trainingInput.scaleTier = 'ULTRA_1';
        }),
      ),
    ).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/trainingInput/scaleTier',
      keyword: 'enum',
      params: {
        allowedValues: ['BASIC', 'STANDARD_1', 'PREMIUM_1', 'BASIC_GPU', 'BASIC_TPU', 'CUSTOM'],
      },
    });
  });

  it('agrees with TypeBox on the full docs/api.md example', () => {
    expect(ajv.validate(JobSchema, designExampleJobOutput)).toBe(true);
    expect(Value.Check(JobSchema, designExampleJobOutput)).toBe(true);
  });

  it('keeps the StringEnum kind working for Value and ajv alike', () => {
    const spec = { goal: 'SIDEWAYS', params: [] };
    expect(Value.Check(HyperparameterSpecSchema, spec)).toBe(false);
    expect(ajv.validate(HyperparameterSpecSchema, spec)).toBe(false);
    expect(JSON.parse(JSON.stringify(HyperparameterSpecSchema.properties.goal))).toEqual({
      description: 'Whether to maximize or minimize the hyperparameter metric.',
      type: 'string',
      enum: ['GOAL_TYPE_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE'],
    });
  });
});
