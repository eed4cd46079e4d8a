export {
  createJobStore,
  DEFAULT_LIMITS,
  type JobStore,
  type JobStoreOptions,
  type StoreAreas,
} from './store.js';
export type { EventArea } from './areas/event-area.js';
export type { JobArea } from './areas/job-area.js';
export type { ModelArea } from './areas/model-area.js';
export type { StreamArea } from './areas/stream-area.js';
export type { TokenArea } from './areas/token-area.js';
export type { ProgressPoint, TrialArea } from './areas/trial-area.js';
export type { VersionArea } from './areas/version-area.js';
export type { WorkerArea } from './areas/worker-area.js';
export type { StoreLimits } from './context.js';
export {
  bullmqPrefix,
  createKeys,
  queueName,
  queueWaitListKey,
  type JobKeys,
  type Keys,
  type ProjectKeys,
  type TokenKeys,
  type BucketKeys,
  type WorkerKeys,
} from './keys.js';
export type { BucketStore } from './buckets.js';
export type { CreateJobOptions } from './job-codec.js';
export type { TransitionRequest, TransitionResult } from './jobs.js';
export { type ListJobIdsResult, type ListJobsRequest, type ListJobsResult } from './job-list.js';
export { parseJobFilter, type JobFilter } from './job-filter.js';
export {
  FINAL_TRIAL_STATES,
  TRIAL_STATES,
  isFinalTrialState,
  type FinalTrialState,
  type TrialState,
} from './trial-state.js';
export {
  toHyperparameterOutput,
  toTunerTrial,
  type IntermediateSummary,
  type TrialRecord,
  type TunerTrialView,
} from './trial-codec.js';
export type { NewTrial, TrialResult } from './trials.js';
export type { StartTrialResult, TrialSlot } from './trial-start.js';
export type { JobLock } from './job-lock.js';
export { LOG_SEVERITIES, type LogEntry, type LogSeverity } from './stream-codecs.js';
export type { ReadStreamRequest, ReadStreamResult, StreamKind, WithId } from './streams.js';
export type { FollowRequest } from './follow.js';
export type { CancelEvent, JobStateEvent, JsonValue, Subscription } from './events.js';
export {
  ADMIN_TOKEN_ID,
  TOKEN_PREFIX,
  TOKEN_REVOKED_EVENT,
  TOKEN_ROLES,
  type NewToken,
  type TokenIdentity,
  type TokenInfo,
  type TokenRole,
} from './tokens.js';
export type { WorkerInfo, WorkerStatus } from './workers.js';
export { sortTrialsBestFirst } from './job-codec.js';
export {
  closeTrialQueues,
  createTrialQueues,
  enqueueTrials,
  removeQueuedTrialJobs,
  trialJobId,
  trialQueueKind,
  type TrialJobData,
  type TrialQueues,
} from './trial-queue/producer.js';
export { TRIAL_JOB_OPTIONS } from './trial-queue/job-options.js';
export {
  TRIAL_CONSUMER_DEFAULTS,
  createTrialConsumer,
  type TrialConsumerOptions,
} from './trial-queue/consumer.js';
export {
  attemptCount,
  attemptError,
  attemptFate,
  isLastAttempt,
  type AttemptCount,
  type AttemptFate,
} from './trial-queue/retry-policy.js';
export { purgePrefix } from './purge.js';
export { createProjectSlots, type ProjectSlots } from './project-slots.js';
export { logRedisErrors } from './redis-errors.js';
export { DEPLOY_EVENT_TYPES, type DeployEvent, type DeployEventType } from './deploy-events.js';
export type { ListPageRequest } from './model-ids.js';
export type { ListModelsResult } from './models.js';
export type { ListOperationsResult } from './operations.js';
export type { CreatedVersion, ListVersionsResult } from './versions.js';
export type { FinishVersionResult, PendingVersion, VersionOutcome } from './version-changes.js';
