import type { Redis } from 'ioredis';
import type { Job, JobInput, JobState, MetricPoint } from '@stratus/spec';
import { createBucketStore, type BucketStore } from './buckets.js';
import type { StoreContext, StoreLimits, StoreLogger } from './context.js';
import {
  publishCancel,
  publishEvent,
  subscribeCancel,
  subscribeEvent,
  subscribeJobStates,
  type CancelEvent,
  type JobStateEvent,
  type JsonValue,
  type Subscription,
} from './events.js';
import { followLogs, followMetrics, type FollowRequest } from './follow.js';
import type { CreateJobOptions } from './job-codec.js';
import {
  listJobIds,
  listJobs,
  type ListJobIdsResult,
  type ListJobsRequest,
  type ListJobsResult,
} from './job-list.js';
import { acquireJobLock, releaseJobLock, type JobLock } from './job-lock.js';
import {
  countJobsByState,
  createJob,
  findJob,
  getJob,
  listProjects,
  listTrials,
  transitionJob,
  type TransitionRequest,
  type TransitionResult,
} from './jobs.js';
import { createKeys, type Keys } from './keys.js';
import { modelStoreMethods, type ModelStore } from './model-store.js';
import { defineScripts } from './scripts.js';
import type { LogEntry } from './stream-codecs.js';
import {
  appendLogs,
  appendMetrics,
  readLogs,
  readMetrics,
  type ReadStreamRequest,
  type ReadStreamResult,
  type WithId,
} from './streams.js';
import {
  ensureAdminToken,
  createToken,
  listTokens,
  revokeToken,
  verifyToken,
  type NewToken,
  type TokenIdentity,
  type TokenInfo,
} from './tokens.js';
import type { TrialRecord } from './trial-codec.js';
import {
  cancelQueuedTrials,
  claimTrial,
  createTrials,
  findTrial,
  nextTrialId,
  readTrialSeries,
  recordTrialResult,
  reportTrialProgress,
  type ClaimResult,
  type NewTrial,
  type TrialResult,
} from './trials.js';
import {
  heartbeat,
  listWorkers,
  removeWorker,
  type WorkerInfo,
  type WorkerStatus,
} from './workers.js';

export interface JobStoreOptions {
  /** An ioredis connection (without `keyPrefix`); the store defines its scripts on it. */
  readonly redis: Redis;
  /** Key prefix, config's `redisPrefix` (e.g. `stratus`, or `test-<uuid>` in tests). */
  readonly prefix: string;
  readonly limits?: Partial<StoreLimits>;
  readonly logger?: StoreLogger;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

export const DEFAULT_LIMITS: StoreLimits = Object.freeze({
  maxLogEntries: 100_000,
  maxMetricPoints: 100_000,
  maxTrialSeries: 10_000,
  listScanBudget: 5_000,
  followBlockMs: 5_000,
});

/** The store: the only code that reads or writes Stratus keys in Redis (jobs, models, …). */
export interface JobStore extends ModelStore {
  readonly keys: Keys;
  readonly limits: StoreLimits;
  /** Bucket ownership and grants; `authorize` checks a request's URIs. */
  readonly buckets: BucketStore;

  createJob(project: string, input: JobInput, options?: CreateJobOptions): Promise<Job>;
  getJob(project: string, jobId: string): Promise<Job>;
  findJob(project: string, jobId: string): Promise<Job | undefined>;
  listJobs(project: string, request?: ListJobsRequest): Promise<ListJobsResult>;
  listJobIds(project: string, request?: ListJobsRequest): Promise<ListJobIdsResult>;
  transition(project: string, jobId: string, request: TransitionRequest): Promise<TransitionResult>;
  countJobsByState(project: string): Promise<Record<JobState, number>>;
  listProjects(): Promise<string[]>;

  nextTrialId(project: string, jobId: string): Promise<string>;
  createTrials(project: string, jobId: string, trials: readonly NewTrial[]): Promise<boolean[]>;
  getTrial(project: string, jobId: string, trialId: string): Promise<TrialRecord | undefined>;
  listTrials(project: string, jobId: string): Promise<TrialRecord[]>;
  claimTrial(
    project: string,
    jobId: string,
    trialId: string,
    workerId: string,
  ): Promise<ClaimResult>;
  reportTrialProgress(
    project: string,
    jobId: string,
    trialId: string,
    point: { readonly step: number; readonly value: number },
  ): Promise<boolean>;
  readTrialSeries(
    project: string,
    jobId: string,
    trialId: string,
  ): Promise<{ step: number; value: number }[]>;
  recordTrialResult(
    project: string,
    jobId: string,
    trialId: string,
    result: TrialResult,
  ): Promise<boolean>;
  cancelQueuedTrials(project: string, jobId: string): Promise<string[]>;
  acquireJobLock(project: string, jobId: string, ttlMs: number): Promise<JobLock | undefined>;
  releaseJobLock(lock: JobLock): Promise<boolean>;

  appendLog(project: string, jobId: string, entry: LogEntry): Promise<string>;
  appendLogs(project: string, jobId: string, entries: readonly LogEntry[]): Promise<string[]>;
  appendMetrics(project: string, jobId: string, points: readonly MetricPoint[]): Promise<string[]>;
  readLogs(
    project: string,
    jobId: string,
    request?: ReadStreamRequest,
  ): Promise<ReadStreamResult<LogEntry>>;
  readMetrics(
    project: string,
    jobId: string,
    request?: ReadStreamRequest,
  ): Promise<ReadStreamResult<MetricPoint>>;
  followLogs(
    project: string,
    jobId: string,
    request?: FollowRequest,
  ): AsyncGenerator<WithId<LogEntry>, void, undefined>;
  followMetrics(
    project: string,
    jobId: string,
    request?: FollowRequest,
  ): AsyncGenerator<WithId<MetricPoint>, void, undefined>;

  publishCancel(project: string, jobId: string): Promise<number>;
  subscribeCancel(handler: (event: CancelEvent) => void | Promise<void>): Promise<Subscription>;
  subscribeJobStates(
    handler: (event: JobStateEvent) => void | Promise<void>,
  ): Promise<Subscription>;
  publishEvent(event: string, payload: JsonValue): Promise<number>;
  subscribeEvent<T = unknown>(
    event: string,
    handler: (payload: T) => void | Promise<void>,
  ): Promise<Subscription>;

  createToken(grant: NewToken): Promise<{ token: string; info: TokenInfo }>;
  verifyToken(token: string): Promise<TokenIdentity | undefined>;
  listTokens(): Promise<TokenInfo[]>;
  revokeToken(tokenId: string): Promise<void>;
  ensureAdminToken(token: string): Promise<TokenInfo>;

  heartbeat(info: WorkerInfo, ttlSeconds: number): Promise<void>;
  listWorkers(): Promise<WorkerStatus[]>;
  removeWorker(workerId: string): Promise<void>;
}

/** Build the job store on an injected ioredis connection. */
export const createJobStore = (options: JobStoreOptions): JobStore => {
  defineScripts(options.redis);
  const ctx: StoreContext = {
    redis: options.redis,
    keys: createKeys(options.prefix),
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }),
    now: options.now ?? (() => new Date()),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  return {
    keys: ctx.keys,
    limits: ctx.limits,
    buckets: createBucketStore(ctx),
    createJob: (project, input, createOptions) => createJob(ctx, project, input, createOptions),
    getJob: (project, jobId) => getJob(ctx, project, jobId),
    findJob: (project, jobId) => findJob(ctx, project, jobId),
    listJobs: (project, request) => listJobs(ctx, project, request),
    listJobIds: (project, request) => listJobIds(ctx, project, request),
    transition: (project, jobId, request) => transitionJob(ctx, project, jobId, request),
    countJobsByState: (project) => countJobsByState(ctx, project),
    listProjects: () => listProjects(ctx),
    nextTrialId: (project, jobId) => nextTrialId(ctx, project, jobId),
    createTrials: (project, jobId, trials) => createTrials(ctx, project, jobId, trials),
    getTrial: (project, jobId, trialId) => findTrial(ctx, project, jobId, trialId),
    listTrials: (project, jobId) => listTrials(ctx, project, jobId),
    claimTrial: (project, jobId, trialId, workerId) =>
      claimTrial(ctx, project, jobId, trialId, workerId),
    reportTrialProgress: (project, jobId, trialId, point) =>
      reportTrialProgress(ctx, project, jobId, trialId, point),
    readTrialSeries: (project, jobId, trialId) => readTrialSeries(ctx, project, jobId, trialId),
    recordTrialResult: (project, jobId, trialId, result) =>
      recordTrialResult(ctx, project, jobId, trialId, result),
    cancelQueuedTrials: (project, jobId) => cancelQueuedTrials(ctx, project, jobId),
    acquireJobLock: (project, jobId, ttlMs) => acquireJobLock(ctx, project, jobId, ttlMs),
    releaseJobLock: (lock) => releaseJobLock(ctx, lock),
    appendLog: async (project, jobId, entry) =>
      (await appendLogs(ctx, project, jobId, [entry]))[0] ?? '',
    appendLogs: (project, jobId, entries) => appendLogs(ctx, project, jobId, entries),
    appendMetrics: (project, jobId, points) => appendMetrics(ctx, project, jobId, points),
    readLogs: (project, jobId, request) => readLogs(ctx, project, jobId, request),
    readMetrics: (project, jobId, request) => readMetrics(ctx, project, jobId, request),
    followLogs: (project, jobId, request) => followLogs(ctx, project, jobId, request),
    followMetrics: (project, jobId, request) => followMetrics(ctx, project, jobId, request),
    publishCancel: (project, jobId) => publishCancel(ctx, project, jobId),
    subscribeCancel: (handler) => subscribeCancel(ctx, handler),
    subscribeJobStates: (handler) => subscribeJobStates(ctx, handler),
    publishEvent: (event, payload) => publishEvent(ctx, event, payload),
    subscribeEvent: (event, handler) => subscribeEvent(ctx, event, handler),
    createToken: (grant) => createToken(ctx, grant),
    verifyToken: (token) => verifyToken(ctx, token),
    listTokens: () => listTokens(ctx),
    revokeToken: (tokenId) => revokeToken(ctx, tokenId),
    ensureAdminToken: (token) => ensureAdminToken(ctx, token),
    heartbeat: (info, ttlSeconds) => heartbeat(ctx, info, ttlSeconds),
    listWorkers: () => listWorkers(ctx),
    removeWorker: (workerId) => removeWorker(ctx, workerId),
    ...modelStoreMethods(ctx),
  };
};
