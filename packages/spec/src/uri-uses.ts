import type { UriUse } from './bucket.js';
import { fieldError } from './field-errors.js';
import { bucketNameProblem } from './gcs-uri.js';
import type { PredictionInput } from './prediction-input.js';
import type { TrainingInput } from './training-input.js';

const TI = 'trainingInput';

/** Every `gs://` URI inside a free-form argument, also after `--flag=` or inside a list. */
const ARG_URI = /gs:\/\/[^\s,;'"]*/g;

/** The `gs://` URIs an argument string mentions, in order. */
export const argUris = (arg: string): string[] => arg.match(ARG_URI) ?? [];

/**
 * The bucket URIs a training job reads and writes, each with the JSON field
 * it came from: `jobDir` (write; submission fills in the default first); the built-in algorithm's `trainingData` and
 * `validationData`, every `packageUris[i]` and every `gs://` URI inside
 * `args[i]` (read). The API authorizes these before storing a job, and the
 * worker again before it runs a trial.
 */
export const jobUriUses = (input: TrainingInput): UriUse[] => {
  const uses: UriUse[] =
    input.jobDir === undefined
      ? []
      : [{ field: `${TI}.jobDir`, uri: input.jobDir, access: 'write' }];
  const algo = input.builtinAlgorithm;
  if (algo !== undefined) {
    const field = `${TI}.builtinAlgorithm`;
    uses.push({ field: `${field}.trainingData`, uri: algo.trainingData, access: 'read' });
    if (algo.validationData !== undefined) {
      uses.push({ field: `${field}.validationData`, uri: algo.validationData, access: 'read' });
    }
  }
  (input.packageUris ?? []).forEach((uri, i) => {
    uses.push({ field: `${TI}.packageUris[${i}]`, uri, access: 'read' });
  });
  (input.args ?? []).forEach((arg, i) => {
    for (const uri of argUris(arg)) uses.push({ field: `${TI}.args[${i}]`, uri, access: 'read' });
  });
  return uses;
};

/** The bundle a version deploys: `deploymentUri` (read), or `field` for a resolved `sourceJob`. */
export const versionUriUses = (deploymentUri: string, field = 'deploymentUri'): UriUse[] => [
  { field, uri: deploymentUri, access: 'read' },
];

/**
 * The bucket a use names; INVALID_ARGUMENT naming the field when the URI is
 * not `gs://<valid bucket>[/…]` (the rest of the URI is the field validators' concern).
 */
export const useBucket = (use: UriUse): string => {
  const rest = use.uri.startsWith('gs://') ? use.uri.slice('gs://'.length) : undefined;
  const bucket = rest?.split('/', 1)[0] ?? '';
  const problem =
    rest === undefined
      ? 'must start with gs://'
      : bucket.length === 0
        ? 'is missing the bucket name'
        : bucketNameProblem(bucket);
  if (problem === undefined) return bucket;
  throw fieldError('INVALID_ARGUMENT', use.field, `"${use.uri}": ${problem}`);
};

/**
 * The bucket URIs a batch prediction job reads and writes: every
 * `inputPaths[i]` and the model `uri` (read), `outputPath` (write). A
 * deployed version's bundle was authorized when the version was created.
 */
export const predictionUriUses = (input: PredictionInput): UriUse[] => [
  ...input.inputPaths.map((uri, i): UriUse => ({
    field: `predictionInput.inputPaths[${i}]`,
    uri,
    access: 'read',
  })),
  ...(input.uri === undefined
    ? []
    : [{ field: 'predictionInput.uri', uri: input.uri, access: 'read' } satisfies UriUse]),
  { field: 'predictionInput.outputPath', uri: input.outputPath, access: 'write' },
];
