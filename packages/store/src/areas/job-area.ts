import type { Job, JobInput, JobState, PatchRequest } from '@stratus/spec';
import { patchJob } from '../job-patch.js';
import type { StoreContext } from '../context.js';
import type { CreateJobOptions } from '../job-codec.js';
import {
  listJobIds,
  listJobs,
  type ListJobIdsResult,
  type ListJobsRequest,
  type ListJobsResult,
} from '../job-list.js';
import { acquireJobLock, releaseJobLock, type JobLock } from '../job-lock.js';
import {
  countJobsByState,
  createJob,
  findJob,
  getJob,
  listProjects,
  transitionJob,
  type TransitionRequest,
  type TransitionResult,
} from '../jobs.js';
import { findJobWithTrials, type JobWithTrials } from '../job-with-trials.js';

/** Training jobs: records, list pages, state transitions and the controller lock. */
export interface JobArea {
  create(project: string, input: JobInput, options?: CreateJobOptions): Promise<Job>;
  get(project: string, jobId: string): Promise<Job>;
  find(project: string, jobId: string): Promise<Job | undefined>;
  list(project: string, request?: ListJobsRequest): Promise<ListJobsResult>;
  listIds(project: string, request?: ListJobsRequest): Promise<ListJobIdsResult>;
  transition(project: string, jobId: string, request: TransitionRequest): Promise<TransitionResult>;
  /** Change the masked fields (labels), keeping the label indexes in step. */
  patch(project: string, jobId: string, request: PatchRequest): Promise<Job>;
  countByState(project: string): Promise<Record<JobState, number>>;
  /** The job, every trial and the tuning spec stored at submission, for a controller step. */
  findWithTrials(project: string, jobId: string): Promise<JobWithTrials | undefined>;
  /** Every project that has a job. */
  listProjects(): Promise<string[]>;
  acquireLock(project: string, jobId: string, ttlMs: number): Promise<JobLock | undefined>;
  releaseLock(lock: JobLock): Promise<boolean>;
}

export const createJobArea = (ctx: StoreContext): JobArea => ({
  create: createJob.bind(undefined, ctx),
  get: getJob.bind(undefined, ctx),
  find: findJob.bind(undefined, ctx),
  list: listJobs.bind(undefined, ctx),
  listIds: listJobIds.bind(undefined, ctx),
  transition: transitionJob.bind(undefined, ctx),
  patch: patchJob.bind(undefined, ctx),
  countByState: countJobsByState.bind(undefined, ctx),
  findWithTrials: findJobWithTrials.bind(undefined, ctx),
  listProjects: listProjects.bind(undefined, ctx),
  acquireLock: acquireJobLock.bind(undefined, ctx),
  releaseLock: releaseJobLock.bind(undefined, ctx),
});
