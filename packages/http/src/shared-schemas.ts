import type { TSchema } from '@sinclair/typebox';
import {
  BucketSchema,
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  ListBucketsResponseSchema,
  RevokeBucketRequestSchema,
  CreateTokenRequestSchema,
  CreatedTokenSchema,
  GoogleErrorSchema,
  ID_PATTERN,
  JobInputSchema,
  JobSchema,
  ListJobsResponseSchema,
  ListLogsResponseSchema,
  ListMetricsResponseSchema,
  ListTokensResponseSchema,
  ListModelsResponseSchema,
  ListOperationsResponseSchema,
  ListVersionsResponseSchema,
  ListWorkersResponseSchema,
  ModelInputSchema,
  ModelSchema,
  OperationSchema,
  VersionInputSchema,
  VersionSchema,
} from '@stratus/spec';

/**
 * Request/response schemas named in the OpenAPI document. Routes refer to
 * them by `$ref` (so /openapi.json lists each once, under its `$id`) and the
 * validator compiler resolves the reference to the TypeBox schema.
 */
export const SHARED_SCHEMAS: readonly TSchema[] = [
  JobInputSchema,
  JobSchema,
  ListJobsResponseSchema,
  ListLogsResponseSchema,
  ListMetricsResponseSchema,
  CreateTokenRequestSchema,
  CreatedTokenSchema,
  ListTokensResponseSchema,
  ListWorkersResponseSchema,
  ModelInputSchema,
  ModelSchema,
  ListModelsResponseSchema,
  VersionInputSchema,
  VersionSchema,
  ListVersionsResponseSchema,
  OperationSchema,
  ListOperationsResponseSchema,
  BucketSchema,
  ListBucketsResponseSchema,
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  RevokeBucketRequestSchema,
  GoogleErrorSchema,
];

const byId = new Map<string, TSchema>(
  SHARED_SCHEMAS.map((schema) => [String(schema.$id), schema] as const),
);

/** `{$ref: '<$id>#'}` for a shared schema. */
export const ref = (schema: TSchema): { $ref: string } => {
  if (schema.$id === undefined || !byId.has(schema.$id)) {
    throw new TypeError(`schema ${String(schema.$id)} is not in SHARED_SCHEMAS`);
  }
  return { $ref: `${schema.$id}#` };
};

/** The schema a route names: a shared one behind a `$ref`, else itself. */
export const resolveSchema = (schema: unknown): TSchema => {
  const target = (schema as { $ref?: unknown }).$ref;
  if (typeof target !== 'string') return schema as TSchema;
  const found = byId.get(target.replace(/#$/, ''));
  if (found === undefined) throw new TypeError(`unknown schema reference ${target}`);
  return found;
};

/** Response schemas of a route: its 2xx bodies plus the Google error shape for 4xx/5xx. */
export const responses = (success: Readonly<Record<number, unknown>>): Record<string, unknown> => ({
  ...success,
  '4xx': ref(GoogleErrorSchema),
  '5xx': ref(GoogleErrorSchema),
});

/** A regex route parameter for an id, so a custom method (`:setDefault`) can follow it. */
export const idParam = (name: string): string =>
  `:${name}(${ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '')})`;
