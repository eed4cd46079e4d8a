export { submitJob, planInitialTrials, type InitialTrialPlan } from './submit.js';
export { cancelJob, dropQueuedTrials, settleCancel } from './cancel.js';
export {
  failJob,
  markJobCancelled,
  markJobCancelling,
  markJobPreparing,
  markJobRunning,
  succeedJob,
} from './job-transitions.js';
export { LIVE_JOB_STATES, runControllerStep } from './controller.js';
export {
  DEFAULT_CONTROLLER_LOCK_TTL_MS,
  type ControllerAction,
  type ControllerDeps,
  type ControllerStepResult,
} from './step-context.js';
export { proposeTrials, resolveTuning, studyHistory, studySeed, tuningOf } from './study.js';
export {
  submitPredictionJob,
  shardParallelism,
  DEFAULT_BATCH_SIZE,
  MAX_SHARDS,
  type BatchLimits,
} from './submit-prediction.js';
export { resolveBatchModel } from './batch-model.js';
