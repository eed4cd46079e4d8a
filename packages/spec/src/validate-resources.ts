import type { TSchema } from '@sinclair/typebox';
import type { ErrorCode, FieldViolation } from './errors.js';
import { violationsError } from './field-errors.js';
import { checkGcsUri } from './gcs-uri.js';
import { checkLabels } from './labels.js';
import { ModelInputSchema, type ModelInput } from './model.js';
import { PredictRequestSchema, type PredictRequest } from './predict.js';
import { schemaViolations } from './validate-schema.js';
import { VersionInputSchema, type VersionInput } from './version.js';
import { checkVersionScaling } from './version-scaling.js';

/** Schema violations, then (when the shape is right) the semantic ones. */
const validateWith = <T>(
  schema: TSchema,
  value: unknown,
  semantic: (typed: T) => FieldViolation[],
): FieldViolation[] => {
  const violations = schemaViolations(schema, value);
  return violations.length > 0 ? violations : semantic(value as T);
};

const assertNone = <T>(code: ErrorCode, value: unknown, violations: FieldViolation[]): T => {
  if (violations.length === 0) return value as T;
  throw violationsError(code, violations);
};

/** Problems with a model create request. */
export const validateModelInput = (input: unknown): FieldViolation[] =>
  validateWith<ModelInput>(ModelInputSchema, input, (model) => checkLabels(model.labels, 'labels'));

/** Validate a model create request; throws INVALID_MODEL_SPEC with violations. */
export const assertValidModelInput = (input: unknown): ModelInput =>
  assertNone<ModelInput>('INVALID_MODEL_SPEC', input, validateModelInput(input));

/** Problems with a version create request (exactly one of deploymentUri and sourceJob). */
export const validateVersionInput = (input: unknown): FieldViolation[] =>
  validateWith<VersionInput>(VersionInputSchema, input, (version) => {
    const violations = [...checkLabels(version.labels, 'labels'), ...checkVersionScaling(version)];
    if (version.deploymentUri !== undefined && version.sourceJob !== undefined) {
      violations.push({
        field: 'sourceJob',
        description: 'set either deploymentUri or sourceJob, not both',
      });
    } else if (version.deploymentUri === undefined && version.sourceJob === undefined) {
      violations.push({
        field: 'deploymentUri',
        description: 'is required unless sourceJob is set',
      });
    }
    const problem =
      version.deploymentUri === undefined ? undefined : checkGcsUri(version.deploymentUri);
    if (problem !== undefined) violations.push({ field: 'deploymentUri', description: problem });
    return violations;
  });

/** Validate a version create request; throws INVALID_VERSION_SPEC with violations. */
export const assertValidVersionInput = (input: unknown): VersionInput =>
  assertNone<VersionInput>('INVALID_VERSION_SPEC', input, validateVersionInput(input));

/** Validate a `:predict` body; throws INVALID_PREDICT_REQUEST naming the field. */
export const assertValidPredictRequest = (input: unknown): PredictRequest =>
  assertNone<PredictRequest>(
    'INVALID_PREDICT_REQUEST',
    input,
    schemaViolations(PredictRequestSchema, input),
  );
