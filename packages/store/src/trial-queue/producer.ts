import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { QUEUE_KINDS, requiresGpu, type JobInput, type QueueKind } from '@stratus/spec';
import { bullmqPrefix, queueName } from '../keys.js';
import { TRIAL_JOB_OPTIONS } from './job-options.js';

/**
 * The producer side of the trial queues, shared by the API (which enqueues a
 * job's first trials) and the worker (whose tuning controller enqueues the
 * rest): one trial is one BullMQ job whose id is the trial's, so enqueueing
 * twice is a no-op.
 */

/** What one trial's BullMQ job carries; the worker reads everything else from the store. */
export interface TrialJobData {
  readonly project: string;
  readonly jobId: string;
  readonly trialId: string;
}

/** The trial queues, one per kind (CPU jobs may run anywhere, GPU jobs on GPU workers). */
export type TrialQueues = Readonly<Record<QueueKind, Queue<TrialJobData>>>;

/** The BullMQ job id of a trial (BullMQ forbids `:`; project, job and trial ids have none). */
export const trialJobId = (project: string, jobId: string, trialId: string): string =>
  `${project}/${jobId}/${trialId}`;

/**
 * Which queue a job's trials go to. A batch prediction job's shards go to the
 * CPU queue (any worker): a version declares no accelerator to ask for.
 */
export const trialQueueKind = (job: Pick<JobInput, 'trainingInput'>): QueueKind =>
  job.trainingInput !== undefined && requiresGpu(job.trainingInput) ? 'gpu' : 'cpu';

/**
 * Open the trial queues of a Stratus installation (`prefix` = config's
 * redisPrefix) on a shared connection; BullMQ does not close a connection it
 * was given, so the caller closes it after {@link closeTrialQueues}.
 */
export const createTrialQueues = (connection: Redis, prefix: string): TrialQueues => {
  const open = (kind: QueueKind): Queue<TrialJobData> =>
    new Queue<TrialJobData>(queueName(prefix, kind), {
      connection,
      prefix: bullmqPrefix(prefix),
    });
  return { cpu: open('cpu'), gpu: open('gpu') };
};

/** Close both queues. */
export const closeTrialQueues = async (queues: TrialQueues): Promise<void> => {
  await Promise.all(QUEUE_KINDS.map((kind) => queues[kind].close()));
};

/**
 * Enqueue existing trials of a job on its queue in one round trip
 * (idempotent: the BullMQ job id is the trial's). One trial is a plain `add`,
 * several one `addBulk` pipeline.
 */
export const enqueueTrials = async (
  queues: TrialQueues,
  project: string,
  job: Pick<JobInput, 'jobId' | 'trainingInput'>,
  trialIds: readonly string[],
): Promise<void> => {
  const queue = queues[trialQueueKind(job)];
  const entries = trialIds.map((trialId) => {
    const data: TrialJobData = { project, jobId: job.jobId, trialId };
    return {
      name: 'trial',
      data,
      opts: { ...TRIAL_JOB_OPTIONS, jobId: trialJobId(project, job.jobId, trialId) },
    };
  });
  const [only] = entries;
  if (entries.length === 1 && only !== undefined) await queue.add(only.name, only.data, only.opts);
  else if (entries.length > 1) await queue.addBulk(entries);
};

/**
 * Take trials that have not started off their queue (on cancel, or when a
 * tuning job fails). A trial a worker holds is left alone: removing a locked
 * job fails, and the worker stops that trial itself. Returns how many went.
 */
export const removeQueuedTrialJobs = async (
  queues: TrialQueues,
  project: string,
  job: Pick<JobInput, 'jobId' | 'trainingInput'>,
  trialIds: readonly string[],
): Promise<number> => {
  const queue = queues[trialQueueKind(job)];
  const removed = await Promise.all(
    trialIds.map(async (trialId) => {
      const bullJob = await queue.getJob(trialJobId(project, job.jobId, trialId));
      if (bullJob === undefined) return 0;
      const state = await bullJob.getState();
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return 0;
      return queue.remove(bullJob.id ?? '', { removeChildren: false }).catch(() => 0);
    }),
  );
  return removed.reduce<number>((sum, count) => sum + count, 0);
};
