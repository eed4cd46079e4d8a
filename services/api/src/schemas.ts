import { Type } from '@sinclair/typebox';
import { ID_PATTERN, OPERATION_ID_PATTERN, ProjectIdSchema } from '@stratus/spec';

export const ProjectParamsSchema = Type.Object(
  { project: ProjectIdSchema() },
  { additionalProperties: false },
);

export const JobParamsSchema = Type.Object(
  {
    project: ProjectIdSchema(),
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

const project = ProjectIdSchema();
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

/** `?updateMask=` of a PATCH: the comma-separated fields to change. */
export const UpdateMaskQuerySchema = Type.Object(
  {
    updateMask: Type.Optional(
      Type.String({ description: 'Required: the fields to change, e.g. description,labels' }),
    ),
  },
  { additionalProperties: false },
);

/** A PATCH body: the resource, of which only the masked fields (and `etag`) are read. */
export const PatchBodySchema = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'The resource; only the fields named in updateMask are read, and etag (if present) must be current',
  },
);
