import { Type, type Static } from '@sinclair/typebox';
import { LabelsSchema } from './labels.js';
import { ID_PATTERN } from './names.js';
import { StringEnum } from './string-enum.js';
import { TimestampSchema } from './timestamp.js';
import { AutoScalingSchema, ManualScalingSchema } from './version-scaling.js';

export const VERSION_STATES = ['CREATING', 'READY', 'FAILED', 'DELETING'] as const;
export const VersionStateSchema = StringEnum(VERSION_STATES);
export type VersionState = Static<typeof VersionStateSchema>;

export const FRAMEWORKS = ['TENSORFLOW_JS', 'ONNX'] as const;
export const FrameworkSchema = StringEnum(FRAMEWORKS);
export type Framework = Static<typeof FrameworkSchema>;

/** Deploy the model a job trained: its best trial unless `trialId` is given. */
export const SourceJobSchema = Type.Object(
  {
    jobId: Type.String({ pattern: ID_PATTERN.source }),
    trialId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' })),
  },
  { additionalProperties: false },
);
export type SourceJob = Static<typeof SourceJobSchema>;

/** Dynamic batching: requests wait up to maxLatencyMs to fill a batch of maxBatchSize. */
export const BatchingSchema = Type.Object(
  {
    maxBatchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    maxLatencyMs: Type.Optional(Type.Number({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type Batching = Static<typeof BatchingSchema>;

/** What `POST …/models/{m}/versions` accepts; `name` is the version id. */
export const VersionInputSchema = Type.Object(
  {
    name: Type.String({ pattern: ID_PATTERN.source }),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    /** A model bundle directory (`gs://…`); exactly one of deploymentUri and sourceJob. */
    deploymentUri: Type.Optional(Type.String()),
    sourceJob: Type.Optional(SourceJobSchema),
    framework: Type.Optional(FrameworkSchema),
    labels: Type.Optional(LabelsSchema),
    batching: Type.Optional(BatchingSchema),
    /** Recorded as given (the predictor's own runtime serves every version). */
    runtimeVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** One of MACHINE_TYPES; recorded, a replica-sizing hint. */
    machineType: Type.Optional(Type.String()),
    autoScaling: Type.Optional(AutoScalingSchema),
    manualScaling: Type.Optional(ManualScalingSchema),
  },
  { $id: 'VersionInput', additionalProperties: false },
);
export type VersionInput = Static<typeof VersionInputSchema>;

/** A model version as the API returns it; `name` is the full resource name. */
export const VersionSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    deploymentUri: Type.Optional(Type.String()),
    sourceJob: Type.Optional(SourceJobSchema),
    framework: FrameworkSchema,
    state: VersionStateSchema,
    errorMessage: Type.Optional(Type.String()),
    isDefault: Type.Optional(Type.Boolean()),
    createTime: TimestampSchema,
    lastUseTime: Type.Optional(TimestampSchema),
    labels: Type.Optional(LabelsSchema),
    batching: Type.Optional(BatchingSchema),
    runtimeVersion: Type.Optional(Type.String()),
    machineType: Type.Optional(Type.String()),
    autoScaling: Type.Optional(AutoScalingSchema),
    manualScaling: Type.Optional(ManualScalingSchema),
    /** Changes on every update; for optimistic concurrency. */
    etag: Type.Optional(Type.String()),
  },
  { $id: 'Version' },
);
export type Version = Static<typeof VersionSchema>;

export const ListVersionsResponseSchema = Type.Object(
  { versions: Type.Array(VersionSchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListVersionsResponse' },
);
export type ListVersionsResponse = Static<typeof ListVersionsResponseSchema>;
