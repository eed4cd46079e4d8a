import { Type, type Static } from '@sinclair/typebox';
import { RpcStatusSchema } from './google-error.js';
import { StringEnum } from './string-enum.js';
import { TimestampSchema } from './timestamp.js';
import { VersionSchema } from './version.js';

export const OPERATION_METADATA_TYPE = 'type.googleapis.com/google.cloud.ml.v1.OperationMetadata';
export const VERSION_RESPONSE_TYPE = 'type.googleapis.com/google.cloud.ml.v1.Version';
export const MODEL_RESPONSE_TYPE = 'type.googleapis.com/google.cloud.ml.v1.Model';
export const EMPTY_RESPONSE_TYPE = 'type.googleapis.com/google.protobuf.Empty';

export const OPERATION_TYPES = [
  'CREATE_VERSION',
  'DELETE_VERSION',
  'DELETE_MODEL',
  'UPDATE_MODEL',
  'UPDATE_VERSION',
] as const;
export const OperationTypeSchema = StringEnum(OPERATION_TYPES);
export type OperationType = Static<typeof OperationTypeSchema>;

export const OperationMetadataSchema = Type.Object({
  '@type': Type.Optional(Type.Literal(OPERATION_METADATA_TYPE)),
  operationType: OperationTypeSchema,
  /** Full model resource name. */
  modelName: Type.String(),
  /** The version being created or deleted (Cloud ML embeds the whole Version). */
  version: Type.Optional(VersionSchema),
  createTime: TimestampSchema,
  startTime: Type.Optional(TimestampSchema),
  endTime: Type.Optional(TimestampSchema),
});
export type OperationMetadata = Static<typeof OperationMetadataSchema>;

/** A long-running operation; `error` or `response` appears once `done` is true. */
export const OperationSchema = Type.Object(
  {
    name: Type.String(),
    metadata: OperationMetadataSchema,
    done: Type.Boolean(),
    error: Type.Optional(RpcStatusSchema),
    /** The created or updated Version (`@type` …Version), the updated Model, or Empty for a delete. */
    response: Type.Optional(
      Type.Object({ '@type': Type.String() }, { additionalProperties: true }),
    ),
  },
  { $id: 'Operation' },
);
export type Operation = Static<typeof OperationSchema>;

/** `GET /v1/projects/{p}/operations`: newest first. */
export const ListOperationsResponseSchema = Type.Object(
  { operations: Type.Array(OperationSchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListOperationsResponse' },
);
export type ListOperationsResponse = Static<typeof ListOperationsResponseSchema>;
