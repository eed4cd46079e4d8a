import { Type, type Static } from '@sinclair/typebox';
import { MAX_FILTER_LENGTH } from './filter/tokens.js';
import { ListPageSizeSchema } from './list-page.js';
import { JobStateSchema } from './job-state.js';
import { LabelsSchema } from './labels.js';
import { ID_PATTERN } from './names.js';
import { TimestampSchema } from './timestamp.js';
import { TrainingInputSchema, type TrainingInput } from './training-input.js';
import { TrainingOutputSchema } from './training-output.js';
import {
  PredictionInputSchema,
  PredictionOutputSchema,
  type PredictionInput,
} from './prediction-input.js';

/**
 * What `POST /v1/projects/{p}/jobs` accepts: a training job (`trainingInput`)
 * or a batch prediction job (`predictionInput`), exactly one of them.
 */
export const JobInputSchema = Type.Object(
  {
    jobId: Type.String({ pattern: ID_PATTERN.source }),
    labels: Type.Optional(LabelsSchema),
    trainingInput: Type.Optional(TrainingInputSchema),
    predictionInput: Type.Optional(PredictionInputSchema),
  },
  { $id: 'JobInput', additionalProperties: false },
);
export type JobInput = Static<typeof JobInputSchema>;
/** A job input known to be a training job. */
export type TrainingJobInput = JobInput & { readonly trainingInput: TrainingInput };
/** A job input known to be a batch prediction job. */
export type PredictionJobInput = JobInput & { readonly predictionInput: PredictionInput };

/** A training or batch prediction job as the API returns it. */
export const JobSchema = Type.Object(
  {
    jobId: Type.String(),
    labels: Type.Optional(LabelsSchema),
    trainingInput: Type.Optional(TrainingInputSchema),
    predictionInput: Type.Optional(PredictionInputSchema),
    state: JobStateSchema,
    createTime: TimestampSchema,
    startTime: Type.Optional(TimestampSchema),
    endTime: Type.Optional(TimestampSchema),
    errorMessage: Type.Optional(Type.String()),
    trainingOutput: Type.Optional(TrainingOutputSchema),
    predictionOutput: Type.Optional(PredictionOutputSchema),
    /** Changes on every update; for optimistic concurrency. */
    etag: Type.Optional(Type.String()),
  },
  { $id: 'Job' },
);
export type Job = Static<typeof JobSchema>;

/** Job fields a client may read but not set; named as such when sent to create. */
export const JOB_OUTPUT_ONLY_FIELDS = [
  'state',
  'createTime',
  'startTime',
  'endTime',
  'errorMessage',
  'trainingOutput',
  'predictionOutput',
  'etag',
] as const;

/** Query of the filterable list endpoints (`pageSize`, `pageToken`, `filter`). */
export const ListQuerySchema = Type.Object(
  {
    pageSize: Type.Optional(ListPageSizeSchema),
    pageToken: Type.Optional(Type.String()),
    /** An AIP-160 filter, e.g. `jobId:rnn* AND state:FAILED` (docs/api.md, "Filtering lists"). */
    filter: Type.Optional(Type.String({ maxLength: MAX_FILTER_LENGTH })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuerySchema>;

export const ListJobsResponseSchema = Type.Object(
  { jobs: Type.Array(JobSchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListJobsResponse' },
);
export type ListJobsResponse = Static<typeof ListJobsResponseSchema>;

/** One point of a trial's metric curve (`GET …/jobs/{j}/metrics`). */
export const MetricPointSchema = Type.Object({
  trialId: Type.String(),
  step: Type.Integer(),
  name: Type.String(),
  value: Type.Number(),
  time: TimestampSchema,
});
export type MetricPoint = Static<typeof MetricPointSchema>;

export const ListMetricsResponseSchema = Type.Object(
  { metrics: Type.Array(MetricPointSchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListMetricsResponse' },
);
export type ListMetricsResponse = Static<typeof ListMetricsResponseSchema>;
