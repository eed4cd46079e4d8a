import { Type, type TSchema } from '@sinclair/typebox';
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
  ListVersionsResponseSchema,
  ListWorkersResponseSchema,
  ModelInputSchema,
  ModelSchema,
  OPERATION_ID_PATTERN,
  OperationSchema,
  PROJECT_ID_PATTERN,
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

export const ProjectParamsSchema = Type.Object(
  { project: Type.String({ pattern: PROJECT_ID_PATTERN.source }) },
  { additionalProperties: false },
);

export const JobParamsSchema = Type.Object(
  {
    project: Type.String({ pattern: PROJECT_ID_PATTERN.source }),
    jobId: Type.String({ pattern: ID_PATTERN.source }),
  },
  { additionalProperties: false },
);

/** A Redis stream id: the cursor of log/metric pages and SSE `id:`s. */
export const STREAM_ID_PATTERN = /^[0-9]{1,20}(-[0-9]{1,20})?$/;

export const StreamQuerySchema = Type.Object(
  {
    trial: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'Only this trial' }),
    ),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1000 })),
    pageToken: Type.Optional(
      Type.String({
        pattern: STREAM_ID_PATTERN.source,
        description: 'Continue after this stream id (a nextPageToken or an SSE id)',
      }),
    ),
    follow: Type.Optional(
      Type.Boolean({ description: 'Stream as Server-Sent Events until the job ends' }),
    ),
  },
  { additionalProperties: false },
);

export const CancelJobRequestSchema = Type.Object({}, { additionalProperties: false });

export const EmptySchema = Type.Object({}, { additionalProperties: false });

export const TokenParamsSchema = Type.Object(
  { tokenId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) },
  { additionalProperties: false },
);

const project = Type.String({ pattern: PROJECT_ID_PATTERN.source });
const id = Type.String({ pattern: ID_PATTERN.source });

export const ModelParamsSchema = Type.Object(
  { project, model: id },
  { additionalProperties: false },
);

export const VersionParamsSchema = Type.Object(
  { project, model: id, version: id },
  { additionalProperties: false },
);

export const OperationParamsSchema = Type.Object(
  { project, operation: Type.String({ pattern: OPERATION_ID_PATTERN.source }) },
  { additionalProperties: false },
);

/** `pageSize` / `pageToken` of the model and version lists (name order). */
export const PageQuerySchema = Type.Object(
  {
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    pageToken: Type.Optional(Type.String({ description: 'nextPageToken of the previous page' })),
  },
  { additionalProperties: false },
);

/** A regex route parameter for an id, so a custom method (`:setDefault`) can follow it. */
export const idParam = (name: string): string =>
  `:${name}(${ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '')})`;
