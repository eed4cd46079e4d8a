import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';
import type { Framework } from './version.js';
import { Int64StringSchema } from './timestamp.js';

/** Cloud ML's input formats; TF_RECORD ones are refused at validation (no maintained reader). */
export const PREDICTION_DATA_FORMATS = [
  'DATA_FORMAT_UNSPECIFIED',
  'JSON',
  'TEXT',
  'CSV',
  'TF_RECORD',
  'TF_RECORD_GZIP',
] as const;
export type PredictionDataFormat = (typeof PREDICTION_DATA_FORMATS)[number];

/** The formats a batch prediction job writes its results in. */
export const PREDICTION_OUTPUT_FORMATS = ['DATA_FORMAT_UNSPECIFIED', 'JSON', 'CSV'] as const;
export type PredictionOutputFormat = (typeof PREDICTION_OUTPUT_FORMATS)[number];

/** An int64 as Google's JSON writes it (a decimal string) or as a plain integer. */
const Int64Schema = Type.Union([Type.Integer(), Int64StringSchema]);

/** `predictionInput` of a batch prediction job (Cloud ML's PredictionInput, plus two Stratus fields). */
export const PredictionInputSchema = Type.Object(
  {
    /** JSON (JSON Lines: one instance per line), TEXT (one string instance per line) or CSV. */
    dataFormat: StringEnum(PREDICTION_DATA_FORMATS),
    /** @defaultValue 'JSON' */
    outputDataFormat: Type.Optional(StringEnum(PREDICTION_OUTPUT_FORMATS)),
    /** `gs://` objects to read; `*` matches any run of characters within a path segment. */
    inputPaths: Type.Array(Type.String(), { minItems: 1 }),
    /** `gs://` directory the results and error files are written to. */
    outputPath: Type.String(),
    /** `projects/{p}/models/{m}`: the model's default version serves. */
    modelName: Type.Optional(Type.String()),
    /** `projects/{p}/models/{m}/versions/{v}`. */
    versionName: Type.Optional(Type.String()),
    /** `gs://` directory of a model bundle that is not deployed. */
    uri: Type.Optional(Type.String()),
    /** Instances per model call. @defaultValue 64 */
    batchSize: Type.Optional(Int64Schema),
    /** At most this many shards run at once. @defaultValue no limit beyond the workers */
    maxWorkerCount: Type.Optional(Int64Schema),
    signatureName: Type.Optional(Type.String({ minLength: 1 })),
    /** @defaultValue 'local' */
    region: Type.Optional(Type.String({ minLength: 1 })),
    runtimeVersion: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * Stratus (Vertex AI's `instanceConfig.keyField`): the field of a JSON
     * instance, or the CSV column, whose value is copied to the instance's
     * output record and left out of the model's input. @defaultValue 'key'
     */
    keyField: Type.Optional(Type.String({ minLength: 1 })),
    /** Stratus: skip the shards whose results are already in `outputPath` (same inputs). */
    resume: Type.Optional(Type.Boolean()),
    /**
     * Stratus: the job FAILS when more than this share of the rows are errors.
     * @defaultValue the server's `STRATUS_BATCH_MAX_ERROR_RATE` (0.1)
     */
    maxErrorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export type PredictionInput = Static<typeof PredictionInputSchema>;

/** Output-only `predictionOutput`, filled as the shards finish. */
export const PredictionOutputSchema = Type.Object({
  outputPath: Type.Optional(Type.String()),
  /** Rows that produced a result so far. */
  predictionCount: Type.Optional(Int64StringSchema),
  /** Rows that produced an error record so far. */
  errorCount: Type.Optional(Int64StringSchema),
  /** Time the shards ran, in hours, summed over shards. */
  nodeHours: Type.Optional(Type.Number()),
  /** Stratus: rows in the input (known once the job is planned). */
  totalCount: Type.Optional(Int64StringSchema),
  /** Stratus: shards the input was split into, and how many have finished. */
  shardCount: Type.Optional(Type.Integer()),
  completedShardCount: Type.Optional(Type.Integer()),
  /** Stratus: rows read so far (results and errors), running shards included. */
  processedCount: Type.Optional(Int64StringSchema),
  /** Stratus: rows (results and errors) per second since the job started. */
  rowsPerSecond: Type.Optional(Type.Number()),
});
export type PredictionOutput = Static<typeof PredictionOutputSchema>;

/**
 * One shard of a batch prediction job: whole lines `[start, end)` of one input
 * object. Shard `index` of `count` writes `prediction.results-{index}-of-{count}`
 * and `prediction.errors_stats-{index}-of-{count}` (5-digit, zero-padded).
 */
export interface PredictionShard {
  /** 0-based; the output files' number. */
  readonly index: number;
  /** Shards in the job. */
  readonly count: number;
  /** `gs://` input object. */
  readonly uri: string;
  /** First byte of the range; always the start of a line. */
  readonly start: number;
  /** Byte after the range's last line (its `\n` included), exclusive. */
  readonly end: number;
  /** 1-based line number, in the object, of the line at `start`. */
  readonly firstLine: number;
  /** Rows in the range: non-blank lines, a CSV header excluded. */
  readonly rows: number;
  /** CSV: the object's header line (column names), which precedes every shard of it. */
  readonly header?: string;
}

/** The output object names of shard `index` of `count`, relative to `outputPath`. */
export const shardOutputNames = (
  index: number,
  count: number,
): { readonly results: string; readonly errors: string } => {
  const of = `${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}`;
  return { results: `prediction.results-${of}`, errors: `prediction.errors_stats-${of}` };
};

/** Which model a batch prediction job runs: resolved once at submission, so every shard runs the same. */
export interface BatchModelRef {
  /** `gs://` directory of the bundle (a version's deploymentUri, or the job's `uri`). */
  readonly uri: string;
  readonly framework: Framework;
  /** `projects/{p}/models/{m}/versions/{v}` when the model is a deployed version. */
  readonly versionName?: string;
}

/** What a batch prediction job stores at submission beside its input: model, shards, limits. */
export interface BatchPlan {
  readonly model: BatchModelRef;
  /** Shard `i` runs as trial `i + 1`. */
  readonly shards: readonly PredictionShard[];
  readonly totalRows: number;
  /** The error share above which the job FAILS. */
  readonly maxErrorRate: number;
  /** Instances per model call. */
  readonly batchSize: number;
  /** Shards already complete in `outputPath` when the job was resumed (they do not run). */
  readonly skipped: readonly number[];
  /** Rows of the skipped shards (counted as processed, so a resumed job's progress reaches its total). */
  readonly skippedRows?: number;
}

/** Counts a finished shard reports. */
export interface ShardCounts {
  readonly predictionCount: number;
  readonly errorCount: number;
}
