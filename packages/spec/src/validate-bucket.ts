import type { TSchema } from '@sinclair/typebox';
import {
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  RevokeBucketRequestSchema,
  type ClaimBucketRequest,
  type GrantBucketRequest,
  type RevokeBucketRequest,
} from './bucket.js';
import type { FieldViolation } from './errors.js';
import { violationsError } from './field-errors.js';
import { bucketNameProblem } from './gcs-uri.js';
import { schemaViolations } from './validate-schema.js';

const assertShape = <T>(
  schema: TSchema,
  value: unknown,
  extra: (typed: T) => FieldViolation[],
): T => {
  const shape = schemaViolations(schema, value);
  const violations = shape.length > 0 ? shape : extra(value as T);
  if (violations.length === 0) return value as T;
  throw violationsError('INVALID_ARGUMENT', violations);
};

/** What is wrong with a bucket name in `field`, as violations (none when it is fine). */
export const bucketNameViolations = (name: string, field: string): FieldViolation[] => {
  const problem = bucketNameProblem(name);
  return problem === undefined ? [] : [{ field, description: `${problem} (got "${name}")` }];
};

/** Validate a claim request: `name` must follow the GCS bucket naming rules. */
export const assertValidClaimBucketRequest = (body: unknown): ClaimBucketRequest =>
  assertShape<ClaimBucketRequest>(ClaimBucketRequestSchema, body, (req) =>
    bucketNameViolations(req.name, 'name'),
  );

/** Validate a grant request (`project` a project id, `role` READER or WRITER). */
export const assertValidGrantBucketRequest = (body: unknown): GrantBucketRequest =>
  assertShape<GrantBucketRequest>(GrantBucketRequestSchema, body, () => []);

/** Validate a revoke request (`project` a project id). */
export const assertValidRevokeBucketRequest = (body: unknown): RevokeBucketRequest =>
  assertShape<RevokeBucketRequest>(RevokeBucketRequestSchema, body, () => []);
