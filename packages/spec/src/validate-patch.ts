import { Type, type TSchema } from '@sinclair/typebox';
import type { ErrorCode, FieldViolation } from './errors.js';
import { violationsError } from './field-errors.js';
import { LabelsSchema, checkLabels, type Labels } from './labels.js';
import { applyUpdateMask, type PatchKind } from './update-mask.js';
import { schemaViolations } from './validate-schema.js';

const Description = Type.Optional(Type.String({ maxLength: 4096 }));
const Etag = Type.Optional(Type.String({ minLength: 1 }));

/** The masked part of a PATCH body (plus its etag), checked before the store applies it. */
const PATCH_SCHEMAS: Readonly<Record<PatchKind, TSchema>> = {
  job: Type.Object(
    { labels: Type.Optional(LabelsSchema), etag: Etag },
    { additionalProperties: false },
  ),
  model: Type.Object(
    { description: Description, labels: Type.Optional(LabelsSchema), etag: Etag },
    { additionalProperties: false },
  ),
  version: Type.Object(
    {
      description: Description,
      labels: Type.Optional(LabelsSchema),
      manualScaling: Type.Optional(
        Type.Object(
          { nodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) },
          { additionalProperties: false },
        ),
      ),
      autoScaling: Type.Optional(
        Type.Object(
          { minNodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) },
          { additionalProperties: false },
        ),
      ),
      etag: Etag,
    },
    { additionalProperties: false },
  ),
};

const CODES: Readonly<Record<PatchKind, ErrorCode>> = {
  job: 'INVALID_JOB_SPEC',
  model: 'INVALID_MODEL_SPEC',
  version: 'INVALID_VERSION_SPEC',
};

/** A PATCH body's masked fields and etag, validated. */
export interface PatchRequest {
  /** Only the masked fields (apply it with {@link applyUpdateMask} and the same paths). */
  readonly values: Record<string, unknown>;
  readonly paths: readonly string[];
  /** The body's etag: the update happens only while the resource still has it. */
  readonly etag?: string;
}

/**
 * Validate what a PATCH body says about the masked paths (the rest of the
 * body, e.g. a whole resource as read, is ignored as FieldMask updates do);
 * a wrong value is a 400 naming the field.
 */
export const assertValidPatch = (
  kind: PatchKind,
  body: unknown,
  paths: readonly string[],
): PatchRequest => {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!isObject && body !== undefined) {
    throw violationsError(CODES[kind], [{ field: '', description: 'must be a JSON object' }]);
  }
  const record: Record<string, unknown> = isObject ? (body as Record<string, unknown>) : {};
  const values: Record<string, unknown> = applyUpdateMask({}, record, paths);
  const etag = record.etag;
  const checked = etag === undefined ? values : { ...values, etag };
  const violations: FieldViolation[] = schemaViolations(PATCH_SCHEMAS[kind], checked);
  if (violations.length === 0) violations.push(...checkLabels(values.labels as Labels, 'labels'));
  if (violations.length > 0) throw violationsError(CODES[kind], violations);
  return typeof etag === 'string' ? { values, paths, etag } : { values, paths };
};
