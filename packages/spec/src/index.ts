export {
  ERRORS,
  StratusError,
  isStratusError,
  coerceError,
  type ErrorCode,
  type ErrorContext,
  type ErrorDefinition,
  type FieldViolation,
  type GoogleStatus,
  type StratusErrorOptions,
} from './errors.js';
export { fieldError, summarizeViolations, violationsError } from './field-errors.js';
export { fromWireError, toWireError, type WireStratusError } from './wire-error.js';
export { childLogger, silentLogger, type Logger } from './logger.js';
export { TRAINER_DEFAULTS } from './trainer-defaults.js';
export { QUEUE_KINDS, type QueueKind } from './queue-kind.js';
export { StringEnum, isStringEnumSchema } from './string-enum.js';
export { childPath, pointerToFieldPath } from './field-path.js';
export { parameterTree, type ParameterAt } from './validate-conditional.js';
export {
  DEFAULT_HYPERPARAMETER_METRIC_TAG,
  GOAL_TYPES,
  GoalTypeSchema,
  HyperparameterSpecSchema,
  PARAMETER_TYPES,
  ParameterSpecSchema,
  ParameterTypeSchema,
  SCALE_TYPES,
  SEARCH_ALGORITHMS,
  ScaleTypeSchema,
  SearchAlgorithmSchema,
  MAX_CONDITIONAL_DEPTH,
  type ConditionalParameterSpec,
  type GoalType,
  type HyperparameterSpec,
  type ParameterSpec,
  type ParameterType,
  type ScaleType,
  type SearchAlgorithm,
} from './hyperparameters.js';
export {
  AutomatedStoppingConfigSchema,
  resolveAshaStopping,
  type AshaStoppingConfig,
  type AutomatedStoppingConfig,
  type ResolvedAshaStopping,
} from './automated-stopping.js';
export {
  defaultMaxFailedTrials,
  objectiveMetricTag,
  resolveHyperparameterSpec,
  type ResolvedHyperparameterSpec,
} from './hyperparameter-defaults.js';
export {
  DEFAULT_PROJECT,
  ID_PATTERN,
  ID_RULE,
  OPERATION_ID_PATTERN,
  OPERATION_ID_RULE,
  PROJECT_ID_PATTERN,
  PROJECT_ID_RULE,
  assertValidId,
  formatJobName,
  formatModelName,
  formatOperationName,
  formatVersionName,
  isValidId,
  isValidOperationId,
  isValidProjectId,
  parseJobName,
  parseModelName,
  parseOperationName,
  parseResourceName,
  parseVersionName,
  type JobName,
  type ModelName,
  type OperationName,
  type ParsedResourceName,
  type ResourceKind,
  type VersionName,
} from './names.js';
export { ProjectIdSchema } from './project-id-schema.js';
export {
  bucketNameProblem,
  checkGcsUri,
  isValidBucketName,
  joinGcsUri,
  parseGcsUri,
  type GcsUri,
  type GcsUriOptions,
} from './gcs-uri.js';
export { LabelsSchema, MAX_LABELS, checkLabels, type Labels } from './labels.js';
export { Int64StringSchema, TimestampSchema } from './timestamp.js';
export {
  BUILTIN_ALGORITHMS,
  BUILTIN_ALGORITHM_NAMES,
  BUILTIN_FIELD_SPECS,
  METRIC_GOALS,
  OPTIMIZERS,
  TUNABLE_FIELDS,
  getBuiltinAlgorithm,
  isBuiltinAlgorithmName,
  isBuiltinMetricName,
  type BuiltinAlgorithmDefinition,
  type BuiltinAlgorithmName,
  type BuiltinArchitecture,
  type BuiltinDefaults,
  type BuiltinMetricName,
  type BuiltinSetting,
  type BuiltinTask,
  type FieldSpec,
  type Optimizer,
  type TunableField,
} from './builtin-algorithms.js';
export { BuiltinAlgorithmSchema, type BuiltinAlgorithm } from './builtin-algorithm-schema.js';
export { parseSettingValue, settingValueProblem, type SettingValue } from './builtin-fields.js';
export { resolveBuiltinParams, type ResolvedBuiltinParams } from './builtin-params.js';
export {
  ACCELERATOR_TYPES,
  AcceleratorConfigSchema,
  AcceleratorTypeSchema,
  DEFAULT_REGION,
  DEFAULT_SCALE_TIER,
  DURATION_PATTERN,
  ReplicaConfigSchema,
  SCALE_TIERS,
  ScaleTierSchema,
  SchedulingSchema,
  TrainingInputSchema,
  isBuiltinJob,
  maxRunningTimeSeconds,
  parseDurationSeconds,
  requiresGpu,
  TPU_ACCELERATOR_TYPES,
  acceleratorCount,
  defaultJobDir,
  stagingBucket,
  trainerModuleOf,
  withJobDir,
  type StoredTrainingInput,
  type AcceleratorConfig,
  type AcceleratorType,
  type ReplicaConfig,
  type ScaleTier,
  type Scheduling,
  type TrainingInput,
} from './training-input.js';
export {
  JOB_STATES,
  JOB_STATE_TRANSITIONS,
  JobStateSchema,
  TERMINAL_JOB_STATES,
  canTransition,
  isTerminalState,
  type JobState,
} from './job-state.js';
export {
  BuiltInAlgorithmOutputSchema,
  HyperparameterMetricSchema,
  HyperparameterOutputSchema,
  TrainingOutputSchema,
  type BuiltInAlgorithmOutput,
  type HyperparameterMetric,
  type HyperparameterOutput,
  type TrainingOutput,
} from './training-output.js';
export {
  PREDICTION_DATA_FORMATS,
  PREDICTION_OUTPUT_FORMATS,
  PredictionInputSchema,
  PredictionOutputSchema,
  shardOutputNames,
  type PredictionDataFormat,
  type PredictionInput,
  type PredictionOutput,
  type PredictionOutputFormat,
  type PredictionShard,
  type BatchModelRef,
  type BatchPlan,
  type ShardCounts,
} from './prediction-input.js';
export {
  JOB_OUTPUT_ONLY_FIELDS,
  JobInputSchema,
  JobSchema,
  ListJobsResponseSchema,
  ListMetricsResponseSchema,
  ListQuerySchema,
  MetricPointSchema,
  type Job,
  type JobInput,
  type ListJobsResponse,
  type ListMetricsResponse,
  type ListQuery,
  type MetricPoint,
  type TrainingJobInput,
  type PredictionJobInput,
} from './job.js';
export {
  BatchingSchema,
  FRAMEWORKS,
  FrameworkSchema,
  ListVersionsResponseSchema,
  SourceJobSchema,
  VERSION_STATES,
  VersionInputSchema,
  VersionSchema,
  VersionStateSchema,
  type Batching,
  type Framework,
  type ListVersionsResponse,
  type SourceJob,
  type Version,
  type VersionInput,
  type VersionState,
} from './version.js';
export {
  AutoScalingSchema,
  MACHINE_TYPES,
  ManualScalingSchema,
  checkVersionScaling,
  type AutoScaling,
  type ManualScaling,
  type VersionScaling,
} from './version-scaling.js';
export {
  UPDATABLE_PATHS,
  applyUpdateMask,
  parseUpdateMask,
  valueAtPath,
  type PatchKind,
  type UpdatePath,
} from './update-mask.js';
export { assertValidPatch, type PatchRequest } from './validate-patch.js';
export {
  ListModelsResponseSchema,
  ModelInputSchema,
  ModelSchema,
  type ListModelsResponse,
  type Model,
  type ModelInput,
} from './model.js';
export {
  EMPTY_RESPONSE_TYPE,
  MODEL_RESPONSE_TYPE,
  OPERATION_METADATA_TYPE,
  OPERATION_TYPES,
  ListOperationsResponseSchema,
  OperationMetadataSchema,
  OperationSchema,
  OperationTypeSchema,
  VERSION_RESPONSE_TYPE,
  type ListOperationsResponse,
  type Operation,
  type OperationMetadata,
  type OperationType,
} from './operation.js';
export {
  PredictRequestSchema,
  PredictResponseSchema,
  type ClassificationPrediction,
  type PredictRequest,
  type PredictResponse,
  type RegressionPrediction,
} from './predict.js';
export {
  BAD_REQUEST_TYPE,
  BadRequestSchema,
  ERROR_DOMAIN,
  ERROR_INFO_TYPE,
  ErrorDetailSchema,
  ErrorInfoSchema,
  GRPC_CODES,
  GoogleErrorSchema,
  RpcStatusSchema,
  toGoogleError,
  toRpcStatus,
  type BadRequest,
  type ErrorDetail,
  type ErrorInfo,
  type GoogleError,
  type RpcStatus,
} from './google-error.js';
export { schemaViolations } from './validate-schema.js';
export { hyperparameterViolations } from './validate-hyperparameters.js';
export { builtinAlgorithmViolations } from './validate-builtin.js';
export { assertValidJobInput, validateJobInput } from './validate-job.js';
export { SCALING_NOTE } from './validate-hardware.js';
export { ML_UNITS_PER_HOUR, consumedMLUnits, mlUnitsPerHour } from './ml-units.js';
export {
  DEFAULT_PYTHON_VERSION,
  DEFAULT_RUNTIME_VERSION,
  PYTHON_VERSIONS,
  RUNTIME_VERSIONS,
} from './runtime-versions.js';
export {
  TRAINER_MODULE_EXTENSIONS,
  trainerModuleCandidates,
  trainerModuleProblem,
} from './trainer-module.js';
export { jobLimitViolations, type JobLimits } from './job-limits.js';
export {
  assertValidModelInput,
  assertValidPredictRequest,
  assertValidVersionInput,
  validateModelInput,
  validateVersionInput,
} from './validate-resources.js';
export {
  ListLogsResponseSchema,
  LogEntrySchema,
  type ListLogsResponse,
  type JobLogEntry,
} from './job-logs.js';
export {
  CreateTokenRequestSchema,
  CreatedTokenSchema,
  ListTokensResponseSchema,
  TokenRoleSchema,
  TokenSchema,
  type CreateTokenRequest,
  type CreatedToken,
  type ListTokensResponse,
  type Token,
} from './token.js';
export {
  ListWorkersResponseSchema,
  QueueDepthSchema,
  WorkerSchema,
  type ListWorkersResponse,
  type QueueDepth,
  type Worker,
} from './worker-status.js';
export { designExampleJob } from './examples.js';
export {
  SignatureInputSchema,
  VersionSignatureSchema,
  type SignatureInput,
  type VersionSignature,
} from './version-signature.js';
export {
  BUCKET_GRANT_ROLES,
  BucketAccessRoleSchema,
  BucketGrantRoleSchema,
  BucketGrantSchema,
  BucketSchema,
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  ListBucketsResponseSchema,
  RevokeBucketRequestSchema,
  type Bucket,
  type BucketAccessRole,
  type BucketGrant,
  type BucketGrantRole,
  type ClaimBucketRequest,
  type GrantBucketRequest,
  type ListBucketsResponse,
  type RevokeBucketRequest,
  type UriAccess,
  type UriUse,
} from './bucket.js';
export { argUris, jobUriUses, predictionUriUses, useBucket, versionUriUses } from './uri-uses.js';
export {
  assertValidClaimBucketRequest,
  assertValidGrantBucketRequest,
  assertValidRevokeBucketRequest,
  bucketNameViolations,
} from './validate-bucket.js';
export {
  formatFilter,
  type FilterExpression,
  type Junction,
  type Negation,
  type Restriction,
} from './filter/ast.js';
export { compileFilter, parseRfc3339, type FilterPredicate } from './filter/compile.js';
export {
  describeFields,
  type FilterField,
  type FilterFields,
  type FilterRecord,
  type FilterValue,
} from './filter/fields.js';
export { parseListFilter, type ListFilter } from './filter/list-filter.js';
export { MAX_FILTER_DEPTH, parseFilter } from './filter/parser.js';
export {
  JOB_FILTER_FIELDS,
  MODEL_FILTER_FIELDS,
  OPERATION_FILTER_FIELDS,
  VERSION_FILTER_FIELDS,
} from './filter/resource-fields.js';
export { COMPARATORS, MAX_FILTER_LENGTH, tokenize, type Comparator } from './filter/tokens.js';
export { DEFAULT_LIST_PAGE_SIZE, ListPageSizeSchema, MAX_LIST_PAGE_SIZE } from './list-page.js';
