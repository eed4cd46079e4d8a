import { StratusError, fieldError, formatJobName, type SourceJob } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { getJob } from './jobs.js';
import { findTrial } from './trials.js';

const invalid = (field: string, description: string): StratusError =>
  fieldError('INVALID_VERSION_SPEC', field, description);

/**
 * The bundle directory a `sourceJob` names: the job's best trial's model (its
 * only trial's, without tuning) or the named trial's. JOB_NOT_FOUND when the
 * job is missing, SOURCE_JOB_NOT_READY unless it SUCCEEDED, INVALID_VERSION_SPEC
 * when the trial has no model.
 */
export const resolveSourceJob = async (
  ctx: StoreContext,
  project: string,
  source: SourceJob,
): Promise<string> => {
  const job = await getJob(ctx, project, source.jobId);
  const name = formatJobName(project, source.jobId);
  if (job.state !== 'SUCCEEDED') {
    throw new StratusError('SOURCE_JOB_NOT_READY', { name, state: job.state });
  }
  if (source.trialId === undefined) {
    const modelDir = job.trainingOutput?.modelDir;
    if (modelDir === undefined) {
      throw invalid(
        'sourceJob.jobId',
        `job "${name}" exported no model (no trainingOutput.modelDir)`,
      );
    }
    return modelDir;
  }
  const trial = await findTrial(ctx, project, source.jobId, source.trialId);
  if (trial === undefined) {
    throw new StratusError('TRIAL_NOT_FOUND', { name, trialId: source.trialId });
  }
  if (trial.state !== 'SUCCEEDED' && trial.state !== 'STOPPED') {
    throw invalid(
      'sourceJob.trialId',
      `trial ${trial.trialId} of job "${name}" is ${trial.state}; only a SUCCEEDED or STOPPED trial has a model`,
    );
  }
  if (trial.modelDir === undefined) {
    throw invalid('sourceJob.trialId', `trial ${trial.trialId} of job "${name}" exported no model`);
  }
  return trial.modelDir;
};
