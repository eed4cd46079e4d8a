import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DelayedError, type Job as BullJob, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { StratusConfig } from '@stratus/config';
import {
  TRIAL_CONSUMER_DEFAULTS,
  closeTrialQueues,
  createJobStore,
  createProjectSlots,
  createTrialConsumer,
  createTrialQueues,
  logRedisErrors,
  type TrialJobData,
} from '@stratus/store';
import { isStratusError, type QueueKind } from '@stratus/spec';
import type { BackendInfo } from '@stratus/bundle';
import type { MedianStoppingOptions } from '@stratus/tuner';
import { CancelWatch } from './cancel-watch.js';
import { trialProcessEntry } from './entries.js';
import { startHeartbeat } from './heartbeat.js';
import { childLogger, silentLogger, type Logger } from '@stratus/spec';
import { ProjectQuota } from './project-quota.js';
import { reconcileJobs } from './reconcile.js';
import { RunningTrials, type RunningTrial } from './running-trials.js';
import { logSandbox } from './sandbox-check.js';
import { DEFAULT_CONTROLLER_LOCK_TTL_MS, type ControllerDeps } from '@stratus/lifecycle';
import { TrialControl } from './trial-execution.js';
import { TrialPool } from './trial-pool.js';
import { trialProcessConfig } from './ipc-protocol.js';
import type { NodeEntry } from './trial-process-handle.js';
import { processTrial, type TrialRunnerDeps } from './trial-runner.js';
import { DEFAULT_SINK_OPTIONS, type TrialSinkOptions } from './trial-sink.js';

/** Tunables of a worker; every one has a default. */
export interface WorkerOptions {
  /** @defaultValue `<host>-<pid>-<random>` */
  readonly workerId?: string;
  readonly logger?: Logger;
  /** Environment of trial processes; the Stratus secrets in it are dropped. @defaultValue process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** BullMQ lock on a running trial (renewed every half). @defaultValue 30000 */
  readonly lockDurationMs?: number;
  /** How often BullMQ looks for trials whose worker died. @defaultValue 30000 */
  readonly stalledIntervalMs?: number;
  /** Worker deaths a trial survives before BullMQ fails it. @defaultValue 2 */
  readonly maxStalledCount?: number;
  /** @defaultValue 5000 (the heartbeat's TTL is three intervals) */
  readonly heartbeatIntervalMs?: number;
  /** SIGTERM → SIGKILL grace for a cancelled trial. @defaultValue 1500 */
  readonly cancelGraceMs?: number;
  /** SIGTERM → SIGKILL grace for trials paused by a shutdown. @defaultValue 10000 */
  readonly shutdownGraceMs?: number;
  /** Trial processes kept warm (tfjs loaded). @defaultValue config.workerConcurrency */
  readonly warmProcesses?: number;
  /** @defaultValue 20 */
  readonly maxTrialsPerProcess?: number;
  /** Reconciliation period (one pass always runs at start); 0 turns the period off. @defaultValue 60000 */
  readonly reconcileIntervalMs?: number;
  /** The job lock's TTL for controller steps. @defaultValue 30000 */
  readonly controllerLockTtlMs?: number;
  readonly sink?: Partial<TrialSinkOptions>;
  readonly earlyStopping?: MedianStoppingOptions;
  /** @defaultValue this package's trial-process module */
  readonly trialProcess?: NodeEntry;
  /**
   * How long a trial whose project is at its running-trials quota waits in
   * BullMQ's delayed set before it is tried again (plus up to half as much jitter). @defaultValue 1000
   */
  readonly quotaRetryMs?: number;
}

/** The defaults of WorkerOptions' timings and sizes, each defined here once. */
export const DEFAULT_WORKER_OPTIONS = Object.freeze({
  ...TRIAL_CONSUMER_DEFAULTS,
  heartbeatIntervalMs: 5_000,
  cancelGraceMs: 1_500,
  shutdownGraceMs: 10_000,
  maxTrialsPerProcess: 20,
  reconcileIntervalMs: 60_000,
  controllerLockTtlMs: DEFAULT_CONTROLLER_LOCK_TTL_MS,
  quotaRetryMs: 1_000,
} satisfies Partial<Record<keyof WorkerOptions, number>>);

/** A running worker. */
export interface StratusWorker {
  readonly workerId: string;
  /** The TensorFlow.js backend its trial processes selected. */
  readonly backend: BackendInfo;
  /** Trials held now. */
  readonly busyTrials: number;
  /** Stop taking trials, pause running ones (they resume elsewhere from their checkpoints), close. */
  close(): Promise<void>;
}

/** Variables a trial process never gets (it talks to storage, not Redis or the API). */
const SECRET_ENV = ['STRATUS_ADMIN_TOKEN', 'STRATUS_TOKEN', 'REDIS_URL'];

// No process id in it: GET /v1/workers shows worker ids to every token, PIDs only to admins.
const defaultWorkerId = (): string =>
  `${hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .slice(0, 80)}-${randomBytes(4).toString('hex')}`;

/** Start a worker: one BullMQ Worker per configured queue, trials in trial processes. */
export async function startWorker(
  config: Readonly<StratusConfig>,
  options: WorkerOptions = {},
): Promise<StratusWorker> {
  const workerId = options.workerId ?? defaultWorkerId();
  const logger = childLogger(options.logger ?? silentLogger, { workerId });
  const capacity = config.workerConcurrency;
  const env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(([name]) => !SECRET_ENV.includes(name)),
  );
  const pool = new TrialPool({
    entry: options.trialProcess ?? trialProcessEntry(),
    config: trialProcessConfig(config),
    env,
    warm: options.warmProcesses ?? capacity,
    maxTrialsPerProcess: options.maxTrialsPerProcess ?? DEFAULT_WORKER_OPTIONS.maxTrialsPerProcess,
    retireGraceMs: options.shutdownGraceMs ?? DEFAULT_WORKER_OPTIONS.shutdownGraceMs,
    logger,
  });
  const backend = await pool.start();
  logger.info({ backend: backend.name, reason: backend.reason }, 'trial processes ready');
  logSandbox(config.trainerSandbox, env.PATH, logger);

  const redis = new Redis(config.redisUrl, { connectionName: `${config.redisPrefix}-worker` });
  const bullConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  logRedisErrors(redis, logger, 'worker');
  logRedisErrors(bullConnection, logger, 'worker-queues');
  const store = createJobStore({ redis, prefix: config.redisPrefix, logger });
  const queues = createTrialQueues(redis, config.redisPrefix);
  const controller: ControllerDeps = {
    store,
    queues,
    logger,
    lockTtlMs: options.controllerLockTtlMs ?? DEFAULT_WORKER_OPTIONS.controllerLockTtlMs,
  };
  const registry = new RunningTrials();
  const heartbeatMs = options.heartbeatIntervalMs ?? DEFAULT_WORKER_OPTIONS.heartbeatIntervalMs;
  const quota = new ProjectQuota({
    store,
    slots: createProjectSlots(redis, config.redisPrefix),
    workerId,
    limit: config.limits.maxRunningTrialsPerProject,
    // Renewed with every heartbeat; a dead worker's slots lapse as its heartbeat record does.
    leaseMs: 3 * heartbeatMs,
    logger,
  });
  const runner: TrialRunnerDeps = {
    store,
    pool,
    workerId,
    controller,
    sink: { ...DEFAULT_SINK_OPTIONS, ...options.sink },
    earlyStopping: options.earlyStopping ?? {},
    quota,
    quotaRetryMs: options.quotaRetryMs ?? DEFAULT_WORKER_OPTIONS.quotaRetryMs,
  };
  const shutdownGraceMs = options.shutdownGraceMs ?? DEFAULT_WORKER_OPTIONS.shutdownGraceMs;
  const cancelWatch = new CancelWatch(
    store,
    registry,
    controller,
    options.cancelGraceMs ?? DEFAULT_WORKER_OPTIONS.cancelGraceMs,
    logger,
  );
  await cancelWatch.start();
  let closing = false;

  // With several queues (a GPU worker serving cpu too) the capacity is shared:
  // each queue fetches only what the others leave free (BullMQ's concurrency
  // cannot go below 1, so a trial fetched into a full worker is handed back).
  const workers = new Map<QueueKind, Worker<TrialJobData, string>>();
  const busy = new Map<QueueKind, number>();
  const rebalance = (): void => {
    if (workers.size < 2) return;
    for (const [kind, worker] of workers) {
      worker.concurrency = Math.max(1, capacity - (registry.size - (busy.get(kind) ?? 0)));
    }
  };

  const processorFor =
    (kind: QueueKind) =>
    async (bullJob: BullJob<TrialJobData>, token?: string): Promise<string> => {
      if (workers.size > 1 && registry.size >= capacity) {
        await bullJob.moveToDelayed(Date.now() + 500, token);
        throw new DelayedError();
      }
      // Held from here, synchronously after the capacity check, so two queues never both pass it.
      const { project, jobId, trialId } = bullJob.data;
      const trial: RunningTrial = { project, jobId, trialId, control: new TrialControl() };
      registry.add(trial);
      busy.set(kind, (busy.get(kind) ?? 0) + 1);
      rebalance();
      try {
        if (closing) trial.control.abort('shutdown', shutdownGraceMs);
        return await processTrial(
          runner,
          bullJob,
          token,
          trial.control,
          childLogger(logger, { project, jobId, trialId }),
        );
      } finally {
        registry.delete(trial);
        busy.set(kind, (busy.get(kind) ?? 1) - 1);
        rebalance();
      }
    };

  for (const kind of config.queues) {
    const worker = createTrialConsumer(
      bullConnection,
      config.redisPrefix,
      kind,
      processorFor(kind),
      {
        concurrency: capacity,
        name: workerId,
        lockDurationMs: options.lockDurationMs,
        stalledIntervalMs: options.stalledIntervalMs,
        maxStalledCount: options.maxStalledCount,
      },
    );
    worker.on('error', (error) => logger.error({ err: error, queue: kind }, 'queue error'));
    worker.on('failed', (job, error) =>
      logger.warn(
        {
          trial: job?.id,
          err: error,
          reason: isStratusError(error.cause) ? error.cause.reason : undefined,
          attempts: job?.attemptsMade,
        },
        'trial attempt failed',
      ),
    );
    worker.on('stalled', (id) =>
      logger.warn({ trial: id }, 'trial stalled; handed to another worker'),
    );
    workers.set(kind, worker);
  }

  const heartbeat = startHeartbeat(
    store,
    {
      workerId,
      backend,
      queues: config.queues,
      capacity,
      busyTrialIds: () => registry.all().map((t) => `${t.project}/${t.jobId}/${t.trialId}`),
    },
    heartbeatMs,
    logger,
    async () => {
      await Promise.all([cancelWatch.sweep(), quota.renew()]);
    },
  );
  await heartbeat.beat();

  const reconcile = (): Promise<void> =>
    reconcileJobs({ ...controller, logger }).then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error }, 'reconciliation failed'),
    );
  const reconcileMs = options.reconcileIntervalMs ?? DEFAULT_WORKER_OPTIONS.reconcileIntervalMs;
  const reconcileTimer =
    reconcileMs > 0 ? setInterval(() => void reconcile(), reconcileMs) : undefined;
  reconcileTimer?.unref();
  const firstReconcile = reconcile();
  logger.info({ queues: config.queues, capacity }, 'worker started');

  return {
    workerId,
    backend,
    get busyTrials() {
      return registry.size;
    },
    close: async () => {
      if (closing) return;
      closing = true;
      heartbeat.stop();
      if (reconcileTimer !== undefined) clearInterval(reconcileTimer);
      for (const trial of registry.all()) trial.control.abort('shutdown', shutdownGraceMs);
      await firstReconcile;
      // Waits for the processors, which hand paused trials back to the queue.
      await Promise.all([...workers.values()].map((worker) => worker.close()));
      await cancelWatch.close();
      await pool.close();
      await store.workers.remove(workerId).catch(() => undefined);
      await closeTrialQueues(queues);
      await Promise.all([redis.quit(), bullConnection.quit()]);
      logger.info({}, 'worker stopped');
    },
  };
}
