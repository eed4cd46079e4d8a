import {
  StratusError,
  assertValidId,
  bucketNameProblem,
  type JobState,
  type QueueKind,
} from '@stratus/spec';

/**
 * Every Redis key and channel Stratus uses is named here, nowhere else; the
 * table in this package's README lists them.
 *
 * Redis Cluster: all keys of a project's jobs (and, later, of its models,
 * versions and operations) carry the hash tag `{p:<project>}`, so they live
 * in one slot. That lets one Lua script change a job *and* the project's list
 * indexes atomically (a job-only tag would make the state-index update a
 * cross-slot write). Tokens and workers each have a tag of their own.
 */

/** The BullMQ `prefix` option for Stratus queues (BullMQ keys are `<prefix>:<queue>:<type>`). */
export const bullmqPrefix = (prefix: string): string => `${prefix}:bull`;

/**
 * The BullMQ queue name for trials of one kind. BullMQ forbids `:` in queue
 * names, so the Stratus prefix is folded into safe characters; the braces make
 * it a hash tag, so a queue's keys share a slot in Redis Cluster as BullMQ requires.
 */
export const queueName = (prefix: string, kind: QueueKind): string =>
  `{${prefix.replace(/[^A-Za-z0-9_.-]/g, '_')}-trials-${kind}}`;

/** The BullMQ wait list of a queue: what KEDA's Redis list scaler watches. */
export const queueWaitListKey = (prefix: string, kind: QueueKind): string =>
  `${bullmqPrefix(prefix)}:${queueName(prefix, kind)}:wait`;

const invalid = (detail: string): StratusError => new StratusError('INVALID_ARGUMENT', { detail });

/** Names of pub/sub channels, e.g. `cancel`, `job-state`, `deploy`. */
const EVENT_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** Key names for one Stratus installation (one prefix). */
export interface Keys {
  readonly prefix: string;
  /** Every key of every project starts with this (for SCAN in tests and tools). */
  readonly all: string;
  readonly projects: string;
  /** SET of projects that have had a model (the predictor walks their pending versions). */
  readonly modelProjects: string;
  project(project: string): ProjectKeys;
  job(project: string, jobId: string): JobKeys;
  readonly tokens: TokenKeys;
  readonly workers: WorkerKeys;
  readonly buckets: BucketKeys;
  channel(event: string): string;
}

export interface ProjectKeys {
  /** ZSET jobId → list score (creation order); newest first when read in reverse. */
  readonly jobs: string;
  /** STRING: last list score handed out, so scores are unique and increasing. */
  readonly jobScore: string;
  jobsInState(state: JobState): string;
  jobsWithLabel(key: string, value: string): string;
  /** ZSET modelId → 0: the project's models in name order (ZRANGEBYLEX pages). */
  readonly models: string;
  /** HASH: the model (see the README's key table). */
  model(modelId: string): string;
  /** ZSET versionId → 0: the model's versions in name order. */
  modelVersions(modelId: string): string;
  /** HASH: the version. */
  version(modelId: string, versionId: string): string;
  /** SET of `<model>/<version>` still CREATING: what a starting predictor loads. */
  readonly pendingVersions: string;
  /** HASH: a long-running operation. */
  operation(operationId: string): string;
  /** ZSET `<createTime ms, 15 digits>/<operationId>` → 0: the operations, newest last (operations.list). */
  readonly operations: string;
  /** ZSET `<job>/<trial>/<worker>` → lease expiry (ms): the project's running-trial slots. */
  readonly runningTrials: string;
}

export interface JobKeys {
  readonly meta: string;
  readonly trials: string;
  readonly trialSeq: string;
  trial(trialId: string): string;
  trialSeries(trialId: string): string;
  readonly logs: string;
  readonly metrics: string;
  readonly lock: string;
}

export interface TokenKeys {
  /** HASH tokenId → SHA-256 hex of the token. */
  readonly ids: string;
  /** HASH of one token's record, keyed by the token's SHA-256 hex. */
  byHash(sha256Hex: string): string;
}

export interface WorkerKeys {
  /** ZSET workerId → expiry (ms since epoch) of its last heartbeat. */
  readonly all: string;
  /** STRING (JSON) with a TTL: the worker's last heartbeat. */
  worker(workerId: string): string;
}

export interface BucketKeys {
  /** HASH bucket → owning project. */
  readonly owners: string;
  /** HASH grantee project → READER | WRITER: the grants on one bucket. */
  grants(bucket: string): string;
  /** SET of the buckets a project owns. */
  owned(project: string): string;
  /** SET of the buckets granted to a project. */
  granted(project: string): string;
  /** `granted(p)` is this + p + `:granted` (scripts that find grantees as they run). */
  readonly grantedPrefix: string;
}

const TRIAL_ID = /^[1-9][0-9]{0,15}$/;
const WORKER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const LABEL_PART = /^[a-z0-9_-]{0,63}$/;

/** Throw unless `trialId` is a positive decimal integer, as Cloud ML's trial ids are. */
export const assertTrialId = (trialId: string): string => {
  if (!TRIAL_ID.test(trialId)) {
    throw invalid(`trialId "${trialId}" must be a positive decimal integer`);
  }
  return trialId;
};

/** Throw unless `workerId` is usable in a key (letters, digits and `_.:-`). */
export const assertWorkerId = (workerId: string): string => {
  if (!WORKER_ID.test(workerId)) {
    throw invalid(`workerId "${workerId}" must be 1-128 letters, digits or _ . : -`);
  }
  return workerId;
};

/** Throw unless `bucket` follows the GCS bucket naming rules. */
const assertBucketName = (bucket: string): string => {
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw invalid(`bucket "${bucket}": ${problem}`);
  return bucket;
};

/** Build the key names for `prefix` (config's `redisPrefix`, no trailing colon). */
export const createKeys = (prefix: string): Keys => {
  if (prefix.length === 0 || prefix.endsWith(':')) {
    throw invalid(`Redis key prefix "${prefix}" must be non-empty without a trailing colon`);
  }
  const projectBase = (project: string): string =>
    `${prefix}:{p:${assertValidId('project', project)}}`;

  const project = (projectId: string): ProjectKeys => {
    const base = projectBase(projectId);
    return {
      jobs: `${base}:jobs`,
      jobScore: `${base}:jobs:score`,
      jobsInState: (state) => `${base}:jobs:state:${state}`,
      jobsWithLabel: (key, value) => {
        if (!LABEL_PART.test(key) || !LABEL_PART.test(value)) {
          throw invalid(`label ${key}=${value} is not a valid label`);
        }
        return `${base}:jobs:label:${key}=${value}`;
      },
      models: `${base}:models`,
      model: (modelId) => `${base}:model:${assertValidId('model', modelId)}`,
      modelVersions: (modelId) => `${base}:model:${assertValidId('model', modelId)}:versions`,
      version: (modelId, versionId) =>
        `${base}:model:${assertValidId('model', modelId)}:version:${assertValidId('version', versionId)}`,
      pendingVersions: `${base}:versions:pending`,
      operation: (operationId) => `${base}:operation:${assertValidId('operation', operationId)}`,
      operations: `${base}:operations`,
      runningTrials: `${base}:running-trials`,
    };
  };

  const job = (projectId: string, jobId: string): JobKeys => {
    const base = `${projectBase(projectId)}:job:${assertValidId('job', jobId)}`;
    return {
      meta: `${base}:meta`,
      trials: `${base}:trials`,
      trialSeq: `${base}:trial-seq`,
      trial: (trialId) => `${base}:trial:${assertTrialId(trialId)}`,
      trialSeries: (trialId) => `${base}:trial:${assertTrialId(trialId)}:series`,
      logs: `${base}:logs`,
      metrics: `${base}:metrics`,
      lock: `${base}:lock`,
    };
  };

  return {
    prefix,
    all: `${prefix}:`,
    projects: `${prefix}:projects`,
    modelProjects: `${prefix}:model-projects`,
    project,
    job,
    tokens: {
      ids: `${prefix}:{tokens}:ids`,
      byHash: (sha256Hex) => `${prefix}:{tokens}:token:${sha256Hex}`,
    },
    workers: {
      all: `${prefix}:{workers}:all`,
      worker: (workerId) => `${prefix}:{workers}:worker:${assertWorkerId(workerId)}`,
    },
    buckets: {
      owners: `${prefix}:{buckets}:owners`,
      grants: (bucket) => `${prefix}:{buckets}:bucket:${assertBucketName(bucket)}:grants`,
      owned: (projectId) =>
        `${prefix}:{buckets}:project:${assertValidId('project', projectId)}:owned`,
      granted: (projectId) =>
        `${prefix}:{buckets}:project:${assertValidId('project', projectId)}:granted`,
      grantedPrefix: `${prefix}:{buckets}:project:`,
    },
    channel: (event) => {
      if (!EVENT_NAME.test(event)) {
        throw invalid(`event name "${event}" must be lowercase letters, digits and -`);
      }
      return `${prefix}:events:${event}`;
    },
  };
};
