/**
 * The field names of Cloud ML v1's resources, as Google's generated client types them
 * (`googleapis`, ml v1). Each list is checked against the client's own types, so a name
 * that is not a reference field does not compile.
 */
import type { ml_v1 } from 'googleapis/build/src/apis/ml/index.js';

type Fields<T> = readonly (keyof T & string)[];

export const JOB_FIELDS = [
  'createTime',
  'endTime',
  'errorMessage',
  'etag',
  'jobId',
  'jobPosition',
  'labels',
  'predictionInput',
  'predictionOutput',
  'startTime',
  'state',
  'trainingInput',
  'trainingOutput',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__Job>;

export const TRAINING_OUTPUT_FIELDS = [
  'builtInAlgorithmOutput',
  'completedTrialCount',
  'consumedMLUnits',
  'hyperparameterMetricTag',
  'isBuiltInAlgorithmJob',
  'isHyperparameterTuningJob',
  'trials',
  'webAccessUris',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__TrainingOutput>;

export const PREDICTION_INPUT_FIELDS = [
  'batchSize',
  'dataFormat',
  'inputPaths',
  'maxWorkerCount',
  'modelName',
  'outputDataFormat',
  'outputPath',
  'region',
  'runtimeVersion',
  'signatureName',
  'uri',
  'versionName',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__PredictionInput>;

export const PREDICTION_OUTPUT_FIELDS = [
  'errorCount',
  'nodeHours',
  'outputPath',
  'predictionCount',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__PredictionOutput>;

export const MODEL_FIELDS = [
  'defaultVersion',
  'description',
  'etag',
  'labels',
  'name',
  'onlinePredictionConsoleLogging',
  'onlinePredictionLogging',
  'regions',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__Model>;

export const VERSION_FIELDS = [
  'acceleratorConfig',
  'autoScaling',
  'container',
  'createTime',
  'deploymentUri',
  'description',
  'errorMessage',
  'etag',
  'explanationConfig',
  'framework',
  'isDefault',
  'labels',
  'lastMigrationModelId',
  'lastMigrationTime',
  'lastUseTime',
  'machineType',
  'manualScaling',
  'name',
  'packageUris',
  'predictionClass',
  'pythonVersion',
  'requestLoggingConfig',
  'routes',
  'runtimeVersion',
  'serviceAccount',
  'state',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__Version>;

export const OPERATION_FIELDS = [
  'done',
  'error',
  'metadata',
  'name',
  'response',
] as const satisfies Fields<ml_v1.Schema$GoogleLongrunning__Operation>;

export const OPERATION_METADATA_FIELDS = [
  'createTime',
  'endTime',
  'isCancellationRequested',
  'labels',
  'modelName',
  'operationType',
  'projectNumber',
  'startTime',
  'version',
] as const satisfies Fields<ml_v1.Schema$GoogleCloudMlV1__OperationMetadata>;

/** The keys of `body` that `reference` does not name (Stratus's own fields), sorted. */
export const beyondReference = (body: object, reference: readonly string[]): string[] =>
  Object.keys(body)
    .filter((key) => !reference.includes(key))
    .sort();
